import { SESClient, SendEmailCommand, SESServiceException } from '@aws-sdk/client-ses';
import { MailDeliveryError, type Mailer, type OutgoingEmail } from './mailer';

export interface SesOptions {
  region: string;
  endpoint?: string;
  configurationSet?: string;
}

const RETRYABLE = new Set([
  'Throttling',
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalFailure',
  'RequestTimeout',
]);

/** Amazon SES (v1 SendEmail). Credentials come from the AWS default provider chain. */
export class SesMailer implements Mailer {
  readonly driver = 'ses' as const;
  private readonly client: SESClient;

  constructor(private readonly o: SesOptions) {
    // One try per call: the mail queue retries with backoff and records every attempt on the Email row.
    this.client = new SESClient({
      region: o.region,
      maxAttempts: 1,
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    });
  }

  async send(m: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const res = await this.client.send(
        new SendEmailCommand({
          Source: m.from,
          Destination: { ToAddresses: m.to, CcAddresses: m.cc, BccAddresses: m.bcc },
          ReplyToAddresses: m.replyTo.length ? m.replyTo : undefined,
          Message: {
            Subject: { Data: m.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: m.html, Charset: 'UTF-8' }, Text: { Data: m.text, Charset: 'UTF-8' } },
          },
          ConfigurationSetName: this.o.configurationSet,
        }),
      );
      return { messageId: res.MessageId ?? '' };
    } catch (err) {
      if (err instanceof SESServiceException) {
        const retryable = RETRYABLE.has(err.name) || (err.$metadata.httpStatusCode ?? 0) >= 500;
        throw new MailDeliveryError(`${err.name}: ${err.message}`, retryable);
      }
      // Network failures (provider unreachable) are worth retrying.
      throw new MailDeliveryError(err instanceof Error ? err.message : String(err), true);
    }
  }
}
