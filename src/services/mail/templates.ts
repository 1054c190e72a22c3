import { ValidationError } from '../../errors';
import { escapeHtml, fill, headerSafe, placeholders, textToHtml } from './render';

export interface EmailTemplate {
  subject: string;
  /** Plain-text body; its paragraphs also make the HTML body, inside the layout. */
  text: string;
  /** An optional call to action: button label and the data field holding its URL. */
  action?: { label: string; urlField: string };
  /** Holds a secret (a reset or invitation link): its body is kept only where nothing leaves the machine. */
  sensitive?: boolean;
}

export const TEMPLATES = {
  welcome: {
    subject: 'Welcome to {{organization_name}}, {{name}}',
    text: 'Hi {{name}},\n\nYour account on {{organization_name}} is ready. Sign in with {{email}}.',
    action: { label: 'Sign in', urlField: 'login_url' },
  },
  'password-reset': {
    subject: 'Reset your password',
    text:
      'Hi {{name}},\n\nSomeone asked to reset the password of your account. If it was you, choose a new password ' +
      'within {{expires_in}}. If it was not, ignore this message: your password stays as it is.',
    action: { label: 'Choose a new password', urlField: 'reset_url' },
    sensitive: true,
  },
  invite: {
    subject: '{{inviter_name}} invited you to {{organization_name}}',
    text: 'Hi,\n\n{{inviter_name}} invited you to join {{organization_name}} as {{role}}. Set your password to get started.',
    action: { label: 'Accept the invitation', urlField: 'accept_url' },
    sensitive: true,
  },
  'verification-code': {
    subject: 'Your {{organization_name}} verification code',
    text:
      'Hi,\n\nYour verification code is {{code}}. It expires in {{expires_in}} and works once. ' +
      'If you did not sign up, ignore this message.',
    sensitive: true,
  },
  'lead-assigned': {
    subject: 'New lead for you: {{lead_name}}',
    text: 'Hi {{name}},\n\n{{assigned_by}} assigned you the lead {{lead_name}} ({{lead_company}}).',
    action: { label: 'Open the lead', urlField: 'lead_url' },
  },
  generic: {
    subject: '{{subject}}',
    text: '{{body}}',
  },
} satisfies Record<string, EmailTemplate>;

export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  sensitive: boolean;
}

function layout(bodyHtml: string, action: string): string {
  return [
    '<!doctype html><html><body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;line-height:1.5">',
    bodyHtml,
    action,
    '</div></body></html>',
  ].join('\n');
}

/** Renders a template; every value it names must be given. */
export function renderTemplate(name: TemplateName, data: Record<string, unknown>): RenderedEmail {
  const t: EmailTemplate = TEMPLATES[name];
  const needed = [
    ...new Set([
      ...placeholders(t.subject),
      ...placeholders(t.text),
      ...(t.action ? [t.action.urlField] : []),
    ]),
  ];
  const missing = needed.filter((k) => data[k] === undefined || data[k] === null || data[k] === '');
  if (missing.length) {
    throw new ValidationError(
      `The ${name} template needs ${missing.join(', ')}`,
      missing.map((k) => ({ field: `data.${k}`, message: 'required by the template' })),
    );
  }
  const values = Object.fromEntries(needed.map((k) => [k, String(data[k])]));
  const text = fill(t.text, values, (s) => s);
  const url = t.action ? values[t.action.urlField]! : '';
  if (t.action && !/^https?:\/\//i.test(url)) {
    throw new ValidationError(`The ${name} template needs an http(s) link`, [
      { field: `data.${t.action.urlField}`, message: 'must start with http:// or https://' },
    ]);
  }
  const button = t.action
    ? `<p style="margin-top:24px"><a href="${escapeHtml(url)}" style="background:#2563eb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none">${escapeHtml(t.action.label)}</a></p>`
    : '';
  return {
    subject: headerSafe(fill(t.subject, values, (s) => s)),
    text: t.action ? `${text}\n\n${t.action.label}: ${url}` : text,
    html: layout(textToHtml(text), button),
    sensitive: Boolean(t.sensitive),
  };
}
