import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { fakeApi, fakeHandle, prospectMeta, render, settle } from '../test-support';
import { RecordForm } from './RecordForm';

afterEach(() => {
  document.body.innerHTML = '';
});

const submit = async (container: HTMLElement) => {
  await act(async () => container.querySelector('form')!.requestSubmit());
  await settle();
};
const type = async (input: HTMLInputElement, value: string) => {
  // React tracks the value it last set; go through the native setter so the change is seen.
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  await act(async () => {
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
};

describe('RecordForm', () => {
  it('generates labelled inputs for the writable fields only', async () => {
    const { handle } = fakeHandle([]);
    const { container } = await render(<RecordForm meta={prospectMeta} />, fakeApi({ Prospect: handle }));
    await settle();
    const labels = [...container.querySelectorAll('label')].map((l) => l.textContent);
    expect(labels).toEqual(['First name', 'Email *', 'Status', 'Lead score']);
    expect(container.querySelector<HTMLInputElement>('#field-lead_score')!.type).toBe('number');
    expect(container.querySelector<HTMLSelectElement>('#field-status')!.value).toBe('new');
  });

  it("shows the server's validation message at the field it concerns", async () => {
    const { handle } = fakeHandle([], {
      create: async () => {
        throw new ApiError(400, 'VALIDATION_FAILED', 'The prospect is not valid', [
          { field: 'email', message: 'email must be a valid email' },
        ]);
      },
    });
    const { container } = await render(<RecordForm meta={prospectMeta} />, fakeApi({ Prospect: handle }));
    await settle();
    await type(container.querySelector<HTMLInputElement>('#field-email')!, 'not-an-email');
    await submit(container);
    const input = container.querySelector<HTMLInputElement>('#field-email')!;
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(input.getAttribute('aria-describedby')!);
    expect(message?.textContent).toBe('email must be a valid email');
    expect(container.querySelector('.error[role=alert]')?.textContent).toContain('The prospect is not valid');
  });

  it('creates the record with typed values and opens it', async () => {
    history.replaceState(null, '', '/admin/e/prospects/new');
    const { handle, calls } = fakeHandle([]);
    const { container } = await render(<RecordForm meta={prospectMeta} />, fakeApi({ Prospect: handle }));
    await settle();
    await type(container.querySelector<HTMLInputElement>('#field-email')!, 'ok@example.com');
    await type(container.querySelector<HTMLInputElement>('#field-lead_score')!, '42');
    await submit(container);
    expect(calls).toEqual([
      { method: 'create', args: [{ email: 'ok@example.com', status: 'new', lead_score: 42 }] },
    ]);
    expect(location.pathname).toBe('/admin/e/prospects/new-id');
  });
});
