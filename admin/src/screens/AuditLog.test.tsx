import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, render, settle } from '../test-support';
import { AuditLog } from './AuditLog';

/** An audit route whose count stops at 100 entries (2 pages of 50) until the pages read reach the end. */
function auditApi(lastPage: number) {
  const paths: string[] = [];
  const api = fakeApi({});
  api.request = (async (path: string) => {
    paths.push(path);
    const page = Number(new URLSearchParams(path.split('?')[1]).get('page'));
    const exact = page >= lastPage;
    return {
      data: [
        {
          id: `e${page}`,
          entity: 'Prospect',
          record_id: '00000000-0000-4000-8000-000000000000',
          action: 'update',
          actor_email: 'admin@example.com',
          changes: { stage: {} },
          created_at: '2026-01-01T00:00:00Z',
        },
      ],
      meta: { total_pages: exact ? lastPage : Math.max(2, page + 1), total_exact: exact },
    };
  }) as typeof api.request;
  return { api, paths };
}

const pager = (container: HTMLElement) => container.querySelector('nav[aria-label="Pages"]')!;
const next = (container: HTMLElement) =>
  [...pager(container).querySelectorAll('button')].find((b) => b.textContent === 'Next')!;

afterEach(() => {
  document.body.innerHTML = '';
});

describe('AuditLog', () => {
  it('pages past the counted pages while the count is a lower bound, and stops at the real end', async () => {
    const { api, paths } = auditApi(3);
    const { container } = await render(<AuditLog />, api);
    await settle();
    expect(pager(container).textContent).toContain('Page 1 of 2+');
    expect(next(container).disabled).toBe(false);

    await act(async () => next(container).click());
    await settle();
    expect(pager(container).textContent).toContain('Page 2 of 3+');
    await act(async () => next(container).click());
    await settle();
    expect(paths.at(-1)).toContain('page=3');
    expect(pager(container).textContent).toContain('Page 3 of 3');
    expect(pager(container).textContent).not.toContain('3+');
    expect(next(container).disabled).toBe(true);
  });
});
