import disposable from './disposable-domains.json';

const DISPOSABLE = new Set<string>(disposable);

/** What the screening looked up in the database about a submission. */
export interface Signals {
  duplicateEmail: boolean;
  duplicatePhone: boolean;
  /** Submissions already received from the same form or API key, and from the same IP, in the burst window. */
  recentFromSource: number;
  recentFromIp: number;
}

export interface Submission {
  email: unknown;
  phone: unknown;
  names: unknown[];
  /** The honeypot field's value; anything but empty means a bot filled the form. */
  honeypot: unknown;
}

export interface Verdict {
  score: number;
  reasons: string[];
}

/**
 * Each reason adds its weight; the sum (capped at 100) is the spam score. A honeypot alone is certain; any one
 * of the strong signals reaches the default threshold (50); weak ones only count together.
 */
export const WEIGHTS = {
  honeypot: 100,
  disposable_email: 60,
  invalid_email: 60,
  duplicate_email: 50,
  duplicate_phone: 50,
  burst_source: 50,
  burst_ip: 50,
  link_in_name: 40,
  invalid_phone: 30,
} as const;

export type Reason = keyof typeof WEIGHTS;

const EMAIL = /^[^\s@]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
const LINK = /(https?:\/\/|www\.|<a\s|\[url)/i;

const filled = (v: unknown) => v !== undefined && v !== null && String(v).trim() !== '';

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

const EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*\d{1,6}\s*$/i;

/** The number without its extension (`+1 555 0100 ext. 12` → `+1 555 0100`). */
export const mainNumber = (phone: string): string => phone.replace(EXTENSION, '');

/** A phone number (its extension aside) has 7 to 15 digits and nothing but digits, spaces and + ( ) - . /. */
function plausiblePhone(phone: string): boolean {
  const main = mainNumber(phone.trim());
  const digits = main.replace(/\D/g, '').length;
  return /^[\d\s+().\-/]+$/.test(main) && digits >= 7 && digits <= 15;
}

/** The spam score of a submission and why, from its content and what the database knows. */
export function screen(s: Submission, signals: Signals, burstLimit: number): Verdict {
  const reasons: Reason[] = [];
  if (filled(s.honeypot)) reasons.push('honeypot');
  const email = typeof s.email === 'string' ? s.email.trim() : '';
  if (!EMAIL.test(email)) reasons.push('invalid_email');
  else if (DISPOSABLE.has(emailDomain(email))) reasons.push('disposable_email');
  if (filled(s.phone) && !plausiblePhone(String(s.phone))) reasons.push('invalid_phone');
  if (s.names.some((n) => typeof n === 'string' && LINK.test(n))) reasons.push('link_in_name');
  if (signals.duplicateEmail) reasons.push('duplicate_email');
  if (signals.duplicatePhone) reasons.push('duplicate_phone');
  if (signals.recentFromSource >= burstLimit) reasons.push('burst_source');
  if (signals.recentFromIp >= burstLimit) reasons.push('burst_ip');
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + WEIGHTS[r], 0),
  );
  return { score, reasons };
}
