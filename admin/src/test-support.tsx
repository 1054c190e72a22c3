import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ReactNode } from 'react';
import type { SessionUser } from './api/session';
import type { EntityRecord } from '../../client/src/entities';
import type { ApiClient, EntityHandle, Query, RecordValues } from './api/types';
import { App } from './context';
import type { EntityMeta, FieldMeta } from './lib/meta';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export const field = (name: string, kind: FieldMeta['kind'], extra: Partial<FieldMeta> = {}): FieldMeta => ({
  name,
  kind,
  required: false,
  nullable: true,
  writable: true,
  searchable: false,
  sortable: kind !== 'json' && kind !== 'list',
  ...extra,
});

export const prospectMeta: EntityMeta = {
  name: 'Prospect',
  path: 'prospects',
  defaultSort: '-created_at',
  actions: { read: 'all', create: 'all', update: 'all', delete: 'all' },
  fields: [
    field('id', 'uuid', { writable: false }),
    field('first_name', 'string', { searchable: true }),
    field('email', 'email', { searchable: true, required: true }),
    field('status', 'enum', { values: ['new', 'contacted', 'converted'], default: 'new' }),
    field('lead_score', 'integer', { default: 0 }),
    field('created_at', 'timestamp', { writable: false }),
  ],
  relations: [],
};

export interface Call {
  method: string;
  args: unknown[];
}

/** An in-memory entity handle that records its calls; enough for the generic screens. */
export function fakeHandle(rows: RecordValues[], overrides: Partial<EntityHandle> = {}) {
  const calls: Call[] = [];
  const record =
    (method: string) =>
    (...args: unknown[]) =>
      calls.push({ method, args });
  // The screens read records that have ids; the fixtures may leave them out.
  const records = rows as EntityRecord[];
  const handle: EntityHandle = {
    list: async (...args) => (record('list')(...args), records),
    filter: async (query: Query, ...rest) => (record('filter')(query, ...rest), records),
    search: async (...args) => (record('search')(...args), records),
    count: async () => rows.length,
    page: async (query: Query, ...rest) => (
      record('page')(query, ...rest),
      { records, total: rows.length, totalExact: true }
    ),
    get: async (id) => records.find((r) => r.id === id) ?? { id },
    create: async (data) => (record('create')(data), { ...data, id: 'new-id' }),
    update: async (id, data) => (record('update')(id, data), { ...data, id }),
    delete: async (id) => void record('delete')(id),
    bulkCreate: async (data) => (record('bulkCreate')(data), []),
    subscribe: () => Object.assign(() => undefined, { ready: Promise.resolve() }),
    ...overrides,
  };
  return { handle, calls };
}

export function fakeApi(entities: Record<string, EntityHandle>): ApiClient {
  return {
    entities,
    auth: {
      login: async () => {
        throw new Error('not used');
      },
      me: async () => user,
      refresh: async () => true,
      logout: async () => undefined,
      forgotPassword: async () => '',
      resetPassword: async () => '',
      acceptInvite: async () => {
        throw new Error('not used');
      },
    },
    request: async () => ({ data: [] }) as never,
    raw: async () => new Response(''),
    upload: async () => ({}) as never,
    subscribe: () => () => undefined,
  };
}

export const user: SessionUser = { id: 'u1', email: 'admin@example.com', role: 'admin' };

/** Renders inside the app context; returns the container and an unmount. */
export async function render(ui: ReactNode, api: ApiClient, entities: EntityMeta[] = [prospectMeta]) {
  const container = document.createElement('div');
  document.body.appendChild(container);
  let root: Root;
  await act(async () => {
    root = createRoot(container);
    root.render(<App.Provider value={{ api, user, entities }}>{ui}</App.Provider>);
  });
  return {
    container,
    unmount: () => act(() => root.unmount()),
  };
}

/** Lets pending promises and the renders they cause finish. */
export const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));
