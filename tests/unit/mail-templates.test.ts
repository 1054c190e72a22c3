import { escapeHtml, fill, headerSafe } from '../../src/services/mail/render';
import { renderTemplate, TEMPLATE_NAMES } from '../../src/services/mail/templates';

const data = {
  name: 'Ada',
  email: 'ada@example.com',
  organization_name: 'Acme',
  login_url: 'https://crm.example.com/login',
  reset_url: 'https://crm.example.com/reset/t',
  expires_in: '1 hour',
  inviter_name: 'Grace',
  role: 'manager',
  accept_url: 'https://crm.example.com/invite/t',
  assigned_by: 'Grace',
  lead_name: 'Linus',
  lead_company: 'Kernel Inc',
  lead_url: 'https://crm.example.com/leads/1',
  subject: 'Hello',
  body: 'First line\nsecond line\n\nNext paragraph',
  code: '123456',
};

it.each(TEMPLATE_NAMES)('%s renders a subject, a text part and an HTML part', (name) => {
  const out = renderTemplate(name, data);
  expect(out.subject.length).toBeGreaterThan(0);
  expect(out.text.length).toBeGreaterThan(0);
  expect(out.html).toMatch(/^<!doctype html>/);
  expect(out.subject).not.toMatch(/[\r\n]/);
});

it('marks the templates carrying one-time links as sensitive', () => {
  expect(TEMPLATE_NAMES.filter((n) => renderTemplate(n, data).sensitive).sort()).toEqual([
    'invite',
    'password-reset',
    'verification-code',
  ]);
});

it('fills placeholders in one pass: values are never read as template', () => {
  expect(fill('Hi {{name}} from {{org}}', { name: '{{org}}', org: 'Acme' }, (s) => s)).toBe(
    'Hi {{org}} from Acme',
  );
  expect(fill('{{ name }}', { name: '{{7*7}}' }, escapeHtml)).toBe('{{7*7}}');
});

it('escapes values in HTML and keeps them literal in text', () => {
  const out = renderTemplate('lead-assigned', { ...data, lead_name: '<img src=x onerror=alert(1)> & "co"' });
  expect(out.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;co&quot;');
  expect(out.html).not.toContain('<img');
  expect(out.text).toContain('<img src=x onerror=alert(1)> & "co"');
});

it('turns the generic body into paragraphs and line breaks', () => {
  expect(renderTemplate('generic', data).html).toContain(
    '<p>First line<br>second line</p>\n<p>Next paragraph</p>',
  );
});

it('keeps headers on one line', () => {
  expect(headerSafe('Invoice\r\nBcc: x@y.z\t\u0007 ok')).toBe('Invoice Bcc: x@y.z ok');
});
