import { Op } from 'sequelize';
import type { TestApp } from './app';
import { PASSWORD } from './tenant';

export interface SessionBody {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: Record<string, unknown> & { id: string; email: string; role: string };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Signs in through the API and returns the session, failing the test on anything but 200. */
export async function signIn(t: TestApp, email: string, password = PASSWORD): Promise<SessionBody> {
  const res = await t.http.post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`Sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as SessionBody;
}

export interface SentEmail {
  subject: string;
  body_text: string;
  template: string;
  status: string;
}

/**
 * The messages of a template sent to an address, oldest first, once there are at least `count` of them
 * (some are sent after the reply, so this waits for them, up to a few seconds).
 */
export async function emailsTo(
  t: TestApp,
  address: string,
  template: string,
  count = 1,
): Promise<SentEmail[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = (await t.c.models.get('Email').findAll({
      where: { template, to: { [Op.contains]: [address.toLowerCase()] } },
      order: [['created_at', 'ASC']],
      raw: true,
    })) as unknown as SentEmail[];
    // A message is written as queued, then sent: wait for its delivery to finish, not only for the row.
    const settled = rows.every((r) => r.status !== 'queued');
    if ((rows.length >= count && settled) || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The one-time token in an emailed link (`...?token=<token>`). */
export function linkToken(email: SentEmail | undefined): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(email?.body_text ?? '');
  if (!match) throw new Error(`No link with a token in: ${email?.body_text ?? '(no email)'}`);
  return match[1]!;
}
