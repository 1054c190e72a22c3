import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, render, settle } from '../test-support';
import { SpamQueue } from './SpamQueue';

/** Held spam whose count stopped at 100 (5 pages of 20), and the intake figures beside it. */
function spamApi() {
  const api = fakeApi({});
  api.request = (async (path: string) => {
    if (path.startsWith('/analytics/intake'))
      return { data: { days: 30, total: 0, spam: 0, spam_rate: 0, daily: [], top_reasons: [] } };
    return {
      data: [
        {
          id: 's1',
          score: 90,
          reasons: ['disposable_email'],
          channel: 'form',
          ip: null,
          email: 'x@yopmail.com',
          submitted: { email: 'x@yopmail.com' },
          created_at: '2026-01-01T00:00:00Z',
        },
      ],
      meta: { page: 1, limit: 20, total: 100, total_exact: false, total_pages: 5 },
    };
  }) as typeof api.request;
  return api;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('SpamQueue', () => {
  it('says "more than" and offers more pages while the server counted only so far', async () => {
    const { container } = await render(<SpamQueue />, spamApi());
    await settle();
    const pager = container.querySelector('nav[aria-label="Pages"]')!;
    expect(pager.textContent).toContain('Page 1 of 5+ · more than 100 held');
    const next = [...pager.querySelectorAll('button')].find((b) => b.textContent === 'Next')!;
    expect(next.disabled).toBe(false);
  });
});
