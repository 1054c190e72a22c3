import crypto from 'node:crypto';
import type { Logger } from '../../logger';
import type { Mailer, OutgoingEmail } from './mailer';

/**
 * The development driver: nothing leaves the machine. Every message is already stored in the Email entity
 * (read it at GET /api/v1/emails); this also logs that it was "sent".
 */
export class OutboxMailer implements Mailer {
  readonly driver = 'outbox' as const;

  constructor(private readonly logger: Logger) {}

  async send(message: OutgoingEmail): Promise<{ messageId: string }> {
    const messageId = `outbox-${crypto.randomUUID()}`;
    this.logger.info(
      `Outbox: "${message.subject}" to ${message.to.join(', ')} (not sent; read it at GET /api/v1/emails)`,
      {
        messageId,
      },
    );
    return { messageId };
  }
}
