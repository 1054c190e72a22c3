export interface OutgoingEmail {
  /** A formatted sender: `Name <address>`. */
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html: string;
  text: string;
}

/** Sends one message. Drivers: the outbox (nothing leaves the machine) and SES. */
export interface Mailer {
  readonly driver: 'outbox' | 'ses';
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
}

/** A failure of the mail provider, with whether trying again later may succeed. */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
