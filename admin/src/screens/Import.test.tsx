import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, prospectMeta, render, settle } from '../test-support';
import { Import } from './Import';

afterEach(() => {
  document.body.innerHTML = '';
});

const job = (status: string, extra = {}) => ({
  id: 'job-1',
  status,
  mode: 'skip_invalid',
  counts: { processed: 2, created: 1, failed: 1 },
  committed: true,
  errors: [],
  ignored_columns: [],
  error: null,
  ...extra,
});

describe('Import', () => {
  it('maps columns from a preview, uploads the renamed file with the mode and follows the job to its row errors', async () => {
    const sent: { path: string; body: string; name: string }[] = [];
    const polled: string[] = [];
    const api = fakeApi({});
    api.upload = (async (path: string, form: FormData) => {
      const file = form.get('file') as File;
      sent.push({ path, body: await file.text(), name: file.name });
      return job('queued');
    }) as typeof api.upload;
    api.request = (async (path: string) => {
      polled.push(path);
      return {
        data: job('completed', {
          errors: [{ row: 3, errors: [{ field: 'email', message: 'email must be a valid email' }] }],
        }),
      };
    }) as typeof api.request;
    const { container } = await render(<Import meta={prospectMeta} />, api);

    const input = container.querySelector<HTMLInputElement>('input[type=file]')!;
    const csv = 'Given,email,Junk\nAda,ada@x.io,1\nBob,nope,2\n';
    Object.defineProperty(input, 'files', { value: [new File([csv], 'people.csv', { type: 'text/csv' })] });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(container.textContent).toContain('people.csv: 2 records, 3 columns, 1 mapped.');
    const select = (column: string) =>
      container.querySelector<HTMLSelectElement>(`select[aria-label="Field for column ${column}"]`)!;
    expect(select('email').value).toBe('email');
    expect(select('Given').value).toBe('');
    await act(async () => {
      select('Given').value = 'first_name';
      select('Given').dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => {
      container.querySelector<HTMLInputElement>('input[value=skip_invalid]')!.click();
    });
    await act(async () => {
      container.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    });
    await settle();
    expect(sent).toEqual([
      {
        path: '/prospects/import?mode=skip_invalid',
        body: 'first_name,email\r\nAda,ada@x.io\r\nBob,nope\r\n',
        name: 'people.csv',
      },
    ]);
    await act(() => new Promise((r) => setTimeout(r, 600)));
    expect(polled).toEqual(['/prospects/import/job-1']);
    expect(container.textContent).toContain('Import finished: 1 created, 1 skipped of 2 rows.');
    const row = [...container.querySelectorAll('table[aria-label="Row errors"] td')].map(
      (td) => td.textContent,
    );
    expect(row).toEqual(['3', 'Email', 'email must be a valid email']);
  });

  it('refuses a file that is neither CSV nor JSON before sending anything', async () => {
    const { container } = await render(<Import meta={prospectMeta} />, fakeApi({}));
    const input = container.querySelector<HTMLInputElement>('input[type=file]')!;
    Object.defineProperty(input, 'files', { value: [new File(['x'], 'sheet.xlsx', { type: '' })] });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(container.querySelector('[role=alert]')?.textContent).toBe(
      'Choose a CSV (.csv) or JSON (.json) file',
    );
  });
});
