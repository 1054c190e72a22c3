import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeHandle, render, settle, user } from '../test-support';
import { UserAccount } from './Users';

afterEach(() => {
  document.body.innerHTML = '';
});

const colleague = { id: 'u2', first_name: 'Rita', role: 'sales_rep', manager_id: null, is_active: true };
const boss = { id: 'u3', first_name: 'Max', role: 'manager', is_active: true };

describe('UserAccount', () => {
  it("changes a colleague's role, sets their manager and deactivates them, each as its own update", async () => {
    const { handle, calls } = fakeHandle([boss]);
    const { container } = await render(
      <UserAccount record={colleague} onChanged={() => undefined} />,
      fakeApi({ User: handle }),
    );
    await settle();
    const [roleSelect, managerSelect] = [...container.querySelectorAll('select')];
    const submit = async (select: HTMLSelectElement, value: string) => {
      await act(async () => {
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await act(async () => {
        select.closest('form')!.querySelector('button')!.click();
      });
    };
    await submit(roleSelect!, 'manager');
    expect(container.querySelector('[role=status]')?.textContent).toBe('Role changed to manager');
    await submit(managerSelect!, 'u3');
    await act(async () => {
      [...container.querySelectorAll('button')].find((b) => b.textContent === 'Deactivate')!.click();
    });
    expect(calls.filter((c) => c.method === 'update').map((c) => c.args)).toEqual([
      ['u2', { role: 'manager' }],
      ['u2', { manager_id: 'u3' }],
      ['u2', { is_active: false }],
    ]);
    expect(calls.find((c) => c.method === 'filter')?.args[0]).toEqual({ is_active: true, id: { $ne: 'u2' } });
  });

  it('offers reactivation for a deactivated account and nothing on your own', async () => {
    const { handle } = fakeHandle([]);
    const api = fakeApi({ User: handle });
    const other = await render(
      <UserAccount record={{ ...colleague, is_active: false }} onChanged={() => undefined} />,
      api,
    );
    await settle();
    expect([...other.container.querySelectorAll('button')].map((b) => b.textContent)).toContain('Reactivate');
    const mine = await render(
      <UserAccount record={{ id: user.id, role: 'admin' }} onChanged={() => undefined} />,
      api,
    );
    expect(mine.container.querySelector('select')).toBeNull();
    expect(mine.container.textContent).toBe('Your own role and access are changed by another admin.');
  });
});
