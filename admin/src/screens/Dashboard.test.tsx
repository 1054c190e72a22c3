import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, render, settle, user } from '../test-support';
import { Dashboard } from './Dashboard';

const person = (id: string, first_name: string) => ({ id, first_name, last_name: null, email: `${id}@x.io` });

/** The answers of the analytics routes, keyed by path; every request is recorded. */
function analyticsApi() {
  const paths: string[] = [];
  const api = fakeApi({});
  api.request = (async (path: string) => {
    paths.push(path);
    if (path.startsWith('/analytics/dashboard'))
      return {
        data: {
          period: { from: '2026-01-01', to: '2026-01-31' },
          leads: {
            total: 5,
            by_status: { new: 3, converted: 2 },
            by_source: { web: 5 },
            converted: 2,
            conversion_rate: 0.4,
            new_per_day: [{ date: '2026-01-01', count: 5 }],
          },
          deals: null,
          tickets: null,
          tasks: null,
        },
      };
    if (path.startsWith('/analytics/leaderboard')) {
      const metric = new URLSearchParams(path.split('?')[1]).get('metric');
      return {
        data: {
          period: { kind: 'month', from: '', to: '' },
          metric,
          rows: [
            { rank: 1, user: person('u2', 'Rita'), value: metric === 'won_amount' ? 5000 : 3 },
            { rank: 2, user: person(user.id, 'Me'), value: null },
          ],
          me: null,
        },
      };
    }
    return {
      data: [
        {
          id: 'g1',
          user_id: 'u2',
          metric: 'calls',
          period: 'month',
          target: 10,
          progress: { from: '', to: '', value: 4, ratio: 0.4, achieved: false },
        },
      ],
    };
  }) as typeof api.request;
  return { api, paths };
}

const choose = (select: HTMLSelectElement, value: string) =>
  act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });

afterEach(() => {
  document.body.innerHTML = '';
  vi.useRealTimers();
});

describe('Dashboard', () => {
  it('asks for the chosen period as from/to and the matching calendar period for the rankings', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-30T12:00:00Z'), toFake: ['Date'] });
    const { api, paths } = analyticsApi();
    const { container } = await render(<Dashboard />, api);
    await settle();
    expect(paths).toEqual([
      '/analytics/dashboard?from=2026-01-01&to=2026-01-31',
      '/analytics/leaderboard?period=month&metric=won_amount',
      '/analytics/goals?period=month&limit=100',
    ]);
    expect(container.querySelector('[aria-label="Key figures"]')?.textContent).toContain('2 (40%)');

    paths.length = 0;
    await choose(container.querySelector('select')!, '7');
    await settle();
    expect(paths.sort()).toEqual([
      '/analytics/dashboard?from=2026-01-24&to=2026-01-31',
      '/analytics/goals?period=week&limit=100',
      '/analytics/leaderboard?period=week&metric=won_amount',
    ]);
  });

  it('ranks by the picked metric, hides colleagues’ hidden figures and names goal owners', async () => {
    const { api, paths } = analyticsApi();
    const { container } = await render(<Dashboard />, api);
    await settle();
    const cells = () =>
      [...container.querySelectorAll('table[aria-label="Leaderboard"] tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      );
    expect(cells()).toEqual([
      ['1', 'Rita', new Intl.NumberFormat().format(5000)],
      ['2', 'Me', '—'],
    ]);
    await choose(container.querySelector<HTMLSelectElement>('.panel select')!, 'calls');
    await settle();
    expect(paths).toContain('/analytics/leaderboard?period=month&metric=calls');
    expect(cells()[0]).toEqual(['1', 'Rita', '3']);
    expect(container.querySelector('th:last-child')?.textContent).toBe('Calls completed');
    expect(container.querySelector('[aria-label="Goals"] li')?.textContent).toBe(
      'Rita · Calls completed4 of 10 · 40%',
    );
  });
});
