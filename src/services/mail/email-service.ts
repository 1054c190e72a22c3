import Joi from 'joi';
import type { Actor } from '../../context';
import type { CrudServices } from '../../crud/services';
import { validate } from '../../crud/validation';
import type { AnyModel } from '../../db/models';
import type { JobQueue } from '../queue/job-queue';
import type { MailJob } from './mail-delivery';
import type { Mailer } from './mailer';
import { headerSafe } from './render';
import { renderTemplate, TEMPLATE_NAMES, type RenderedEmail, type TemplateName } from './templates';

export interface Sender {
  from: { address: string; name: string };
  /** Reply-To for messages that do not set their own. */
  replyTo?: string;
}

const address = Joi.string().trim().lowercase().email({ tlds: false }).max(255);
const recipients = Joi.alternatives(
  Joi.array().items(address).min(1).max(50),
  address.custom((v: string) => [v]),
);
const sendSchema = Joi.object({
  to: recipients.required(),
  cc: recipients,
  bcc: recipients,
  reply_to: address,
  from_name: Joi.string().max(100),
  template: Joi.string().valid(...TEMPLATE_NAMES),
  data: Joi.object().unknown(true).default({}),
  subject: Joi.string().max(255),
  html: Joi.string().max(500_000),
  text: Joi.string().max(500_000),
  related_type: Joi.string(),
  related_id: Joi.string().guid(),
})
  .xor('template', 'subject')
  .or('template', 'html', 'text')
  .oxor('template', 'html')
  .oxor('template', 'text')
  .messages({
    'object.missing': 'Send either a template (with data) or a subject with html or text',
    'object.xor': 'Send either a template or a subject, not both',
    'object.oxor': 'A template makes its own html and text: send data for it instead',
  });

export interface SendInput {
  to: string[];
  cc?: string[];
  bcc?: string[];
  reply_to?: string;
  from_name?: string;
  template?: TemplateName;
  data: Record<string, unknown>;
  subject?: string;
  html?: string;
  text?: string;
  related_type?: string;
  related_id?: string;
}

const stripTags = (html: string) =>
  html
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** `"Name" <address>`, with the name MIME-encoded when it is not plain ASCII. */
function formatSender(name: string, addr: string): string {
  const clean = headerSafe(name).replace(/["\\]/g, '');
  if (!clean) return addr;

  const encoded = /^[\x20-\x7e]*$/.test(clean)
    ? `"${clean}"`
    : `=?UTF-8?B?${Buffer.from(clean).toString('base64')}?=`;
  return `${encoded} <${addr}>`;
}

/**
 * Every message goes through here: it is recorded in the Email entity as `queued` and handed to the mail
 * queue, whose worker records it `sent` or `failed` (see MailDelivery), so none is lost when the provider
 * fails and a slow provider never holds up a request.
 */
export class EmailService {
  constructor(
    private readonly crud: CrudServices,
    private readonly emails: AnyModel,
    private readonly mailer: Pick<Mailer, 'driver'>,
    private readonly queue: JobQueue<MailJob>,
    private readonly sender: Sender,
  ) {}

  /** A message a user sends through the API; the Email entity's permissions apply. Answers it as queued. */
  async send(actor: Actor, body: unknown): Promise<Record<string, unknown>> {
    const input = validate(sendSchema, (body ?? {}) as Record<string, unknown>, {
      entityName: 'email',
      stripUnknown: false,
    }) as unknown as SendInput;
    const content = this.content(input);
    const emails = this.crud.for(actor, 'Email');
    // The reply is the record, so a caller who may not read emails (an API key with only emails:create) is
    // refused before anything is queued, not after.
    emails.authorize('read');
    const record = await emails.create(this.recordValues(input, content), {
      assign: { status: 'queued', from_address: this.sender.from.address, provider: this.mailer.driver },
    });
    await this.enqueue(record.id as string, input, content);
    // The record as it was queued: read again now, it could already say `sent` (the worker runs beside us).
    return record;
  }

  /** A message the system sends on its own (password reset, invitation, assignment). */
  async sendSystem(
    organizationId: string,
    message: {
      to: string;
      template: TemplateName;
      data: Record<string, unknown>;
      related?: { type: string; id: string };
    },
  ): Promise<string> {
    const input: SendInput = {
      to: [message.to],
      template: message.template,
      data: message.data,
      ...(message.related ? { related_type: message.related.type, related_id: message.related.id } : {}),
    };
    const content = this.content(input);
    const row = await this.emails.create({
      ...this.recordValues(input, content),
      organization_id: organizationId,
      status: 'queued',
      from_address: this.sender.from.address,
      provider: this.mailer.driver,
    });
    const id = row.get('id') as string;
    await this.enqueue(id, input, content);
    return id;
  }

  private content(input: SendInput): RenderedEmail {
    if (input.template) return renderTemplate(input.template, input.data);
    const text = input.text ?? stripTags(input.html ?? '');
    const html = input.html ?? renderTemplate('generic', { subject: input.subject, body: text }).html;
    return { subject: headerSafe(input.subject ?? ''), text, html, sensitive: false };
  }

  /** What the Email record keeps. A secret link leaves the record when the message really leaves the machine. */
  private recordValues(input: SendInput, content: RenderedEmail): Record<string, unknown> {
    const redact = content.sensitive && this.mailer.driver !== 'outbox';
    const note = '(contains a one-time link; not stored)';
    return {
      to: input.to,
      cc: input.cc ?? [],
      bcc: input.bcc ?? [],
      reply_to: input.reply_to ?? null,
      from_name: input.from_name ?? this.sender.from.name,
      subject: content.subject,
      body_text: redact ? note : content.text,
      body_html: redact ? `<p>${note}</p>` : content.html,
      template: input.template ?? null,
      template_data: redact ? {} : input.data,
      direction: 'outbound',
      related_type: input.related_type ?? null,
      related_id: input.related_id ?? null,
    };
  }

  private async enqueue(emailId: string, input: SendInput, content: RenderedEmail): Promise<void> {
    await this.queue.add({
      emailId,
      message: {
        from: formatSender(input.from_name ?? this.sender.from.name, this.sender.from.address),
        to: input.to,
        cc: input.cc ?? [],
        bcc: input.bcc ?? [],
        replyTo: [input.reply_to ?? this.sender.replyTo].filter((a): a is string => Boolean(a)),
        subject: content.subject,
        html: content.html,
        text: content.text,
      },
    });
  }
}
