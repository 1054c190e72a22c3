import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Mailer } from './mailer';
import { OutboxMailer } from './outbox-mailer';
import { SesMailer } from './ses-mailer';

export function createMailer(config: Config, logger: Logger): Mailer {
  return config.mail.driver === 'ses' ? new SesMailer(config.mail.ses) : new OutboxMailer(logger);
}
