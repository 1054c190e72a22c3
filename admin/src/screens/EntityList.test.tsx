import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeHandle, prospectMeta, render, settle } from '../test-support';
import { EntityList } from './EntityList';

const rows = [
  { id: 'a1', first_name: 'Ada', email: 'ada@example.com', status: 'new', lead_score: 10 },
  { id: 'b2', first_name: 'Bob', email: 'bob@example.com', status: 'contacted', lead_score: 70 },
];

beforeEach(() => {
  history.replaceState(null, '', '/admin/e/prospects');
  localStorage.clear();
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('EntityList', () => {
  it('renders the columns and rows the metadata describes, with the record titles linked', async () => {
    const { handle } = fakeHandle(rows);
    const { container } = await render(<EntityList meta={prospectMeta} />, fakeApi({ Prospect: handle }));
    await settle();
    const headers = [...container.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headers).toEqual(['Record', 'First name', 'Email', 'Status', 'Lead score', 'Created at ▼']);
    const links = [...container.querySelectorAll('tbody a')].map((a) => [
      a.textContent,
      a.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['Ada', '/admin/e/prospects/a1'],
      ['Bob', '/admin/e/prospects/b2'],
    ]);
    expect(container.textContent).toContain('Page 1 of 1 · 2 in all');
    expect(container.querySelector('a.button.primary')?.textContent).toBe('New prospect');
  });

  it('says "more than" when the server stopped counting, and still offers the next page', async () => {
    const { handle, calls } = fakeHandle(rows, {
      page: async (...args) => {
        calls.push({ method: 'page', args });
        return { records: rows, total: 1000, totalExact: false };
      },
    });
    const { container } = await render(<EntityList meta={prospectMeta} />, fakeApi({ Prospect: handle }));
    await settle();
    const pager = container.querySelector('nav[aria-label="Pages"]')!;
    expect(pager.textContent).toContain('Page 1 of 50+ · more than 1000 in all');
    const next = [...pager.querySelectorAll('button')].find((b) => b.textContent === 'Next')!;
    expect(next.disabled).toBe(false);
    await act(async () => next.click());
    await settle();
    expect(location.search).toContain('page=2');
    expect(calls.filter((c) => c.method === 'page').at(-1)!.args[3]).toBe(20);
  });

  it('sorts by a column when its header is clicked, then the other way', async () => {
    const { handle, calls } = fakeHandle(rows);
    const { container } = await render(<EntityList meta={prospectMeta} />, fakeApi({ Prospect: handle }));
    await settle();
    const emailHeader = () =>
      [...container.querySelectorAll('thead th')].find((th) => th.textContent?.startsWith('Email'))!;
    await act(async () => emailHeader().querySelector('button')!.click());
    await settle();
    expect(location.search).toBe('?sort=email');
    expect(calls.filter((c) => c.method === 'page').at(-1)!.args[1]).toBe('email');
    expect(emailHeader().getAttribute('aria-sort')).toBe('ascending');
    await act(async () => emailHeader().querySelector('button')!.click());
    await settle();
    expect(calls.filter((c) => c.method === 'page').at(-1)!.args[1]).toBe('-email');
  });

  it('marks the table busy from the click until the re-sorted page arrives', async () => {
    const pending: Array<() => void> = [];
    const { handle } = fakeHandle(rows, {
      page: (...args) =>
        new Promise((resolve) => {
          const records = args[1] === 'email' ? [...rows].reverse() : rows;
          pending.push(() => resolve({ records, total: rows.length, totalExact: true }));
        }),
    });
    const { container } = await render(<EntityList meta={prospectMeta} />, fakeApi({ Prospect: handle }));
    await act(async () => pending.shift()!());
    const table = () => container.querySelector('table')!;
    expect(table().getAttribute('aria-busy')).toBe('false');
    const emailButton = [...container.querySelectorAll<HTMLButtonElement>('thead th button')].find((b) =>
      b.textContent?.startsWith('Email'),
    )!;
    act(() => emailButton.click());
    expect(table().getAttribute('aria-busy')).toBe('true');
    expect(container.querySelector('tbody a')?.textContent).toBe('Ada');
    await act(async () => pending.shift()!());
    expect(table().getAttribute('aria-busy')).toBe('false');
    expect(container.querySelector('tbody a')?.textContent).toBe('Bob');
  });

  it('filters with an enum picker and sends the query to the entity handle', async () => {
    const { handle, calls } = fakeHandle(rows);
    const { container } = await render(<EntityList meta={prospectMeta} />, fakeApi({ Prospect: handle }));
    await settle();
    const select = container.querySelector<HTMLSelectElement>('#filter-status')!;
    await act(async () => {
      select.value = 'contacted';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(calls.filter((c) => c.method === 'page').at(-1)!.args[0]).toEqual({
      status: { $in: ['contacted'] },
    });
  });

  it('hides the create button from a role that may not create, and says when nothing matches', async () => {
    const { handle } = fakeHandle([]);
    const meta = { ...prospectMeta, actions: { read: 'own' as const } };
    const { container } = await render(<EntityList meta={meta} />, fakeApi({ Prospect: handle }));
    await settle();
    expect(container.querySelector('a.button.primary')).toBeNull();
    expect(container.textContent).toContain('No prospects match.');
  });
});
