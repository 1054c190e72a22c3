import { literal } from 'sequelize';
import type { AnyModel } from '../../db/models';
import type { Logger } from '../../logger';
import type { Attempt } from '../queue/job-queue';
import { MailDeliveryError, type Mailer, type OutgoingEmail } from './mailer';

/** One queued message: its Email record and what goes to the provider. */
export interface MailJob {
  emailId: string;
  message: OutgoingEmail;
}

/**
 * The mail queue's handler: one attempt to hand a message to the provider, recorded on its Email row —
 * `sent`, or the error with the row still `queued` while a retry follows, `failed` once none will.
 */
export class MailDelivery {
  constructor(
    private readonly mailer: Mailer,
    private readonly emails: AnyModel,
    private readonly logger: Logger,
  ) {}

  run = async ({ emailId, message }: MailJob, attempt: Attempt): Promise<void> => {
    const row = await this.emails.findByPk(emailId, { attributes: ['status'] });
    // A job can be handed out again after its worker died mid-way: never send a message twice.
    if (row?.get('status') !== 'queued') return;
    let messageId: string;
    try {
      ({ messageId } = await this.mailer.send(message));
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
      const retryable = !(err instanceof MailDeliveryError) || err.retryable;
      const final = attempt.final || !retryable;
      await this.record(emailId, { status: final ? 'failed' : 'queued', error: reason });
      this.logger.warn(
        `Email ${emailId}, attempt ${attempt.number}: ${reason}${final ? '' : ' (will retry)'}`,
      );
      if (!final) throw err;
      return;
    }
    await this.record(emailId, {
      status: 'sent',
      provider_message_id: messageId,
      sent_at: new Date(),
      error: null,
    });
  };

  /** One statement, so a reader never sees the outcome without its attempt counted. */
  private async record(id: string, values: Record<string, unknown>): Promise<void> {
    await this.emails.update({ ...values, attempts: literal('attempts + 1') }, { where: { id } });
  }
}
