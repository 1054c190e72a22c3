const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** One line, no control characters: what may go into a header (subject, display name). */
export const headerSafe = (s: string): string =>
  s
    .replace(/[\r\n\t\p{Cc}]+/gu, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();

/**
 * Fills `{{name}}` placeholders in one pass. Values are data, never template: a value such as
 * `{{7*7}}` or `<script>` appears literally (escaped for HTML), and placeholders inside values are not
 * expanded.
 */
export function fill(template: string, data: Record<string, string>, escape: (s: string) => string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => escape(data[name] ?? ''));
}

export const placeholders = (template: string): string[] =>
  [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);

/** Text with line breaks as HTML paragraphs, escaped. */
export const textToHtml = (text: string): string =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
