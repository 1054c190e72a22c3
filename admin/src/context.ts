import { createContext, useContext } from 'react';
import type { SessionUser } from './api/session';
import type { ApiClient } from './api/types';
import type { EntityMeta } from './lib/meta';

export interface AppContext {
  api: ApiClient;
  user: SessionUser;
  entities: EntityMeta[];
}

export const App = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(App);
  if (!ctx) throw new Error('useApp outside the signed-in app');
  return ctx;
}

export const entityByPath = (entities: EntityMeta[], path: string) => entities.find((e) => e.path === path);
export const entityByName = (entities: EntityMeta[], name: string) => entities.find((e) => e.name === name);
