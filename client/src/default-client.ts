import { createClient, type ClientOptions, type NexaClient } from './client.js';
import type { EntityApi } from './entities.js';
import type { EntityName, EntityRecords } from './generated/entities.js';

let current: NexaClient | undefined;

/** Sets up the client behind the named exports (`Lead`, `AuthAPI`, ...). Call once at start-up. */
export function configure(options: ClientOptions): NexaClient {
  current = createClient(options);
  return current;
}

/** The configured client; unconfigured, one for the page's own origin. */
export function defaultClient(): NexaClient {
  current ??= createClient({ baseUrl: '' });
  return current;
}

/**
 * An object whose methods run on whatever `target()` is at call time, so modules may import the named
 * exports before `configure` runs.
 */
function late<T extends object>(target: () => T): T {
  return new Proxy({} as T, {
    get(_, key) {
      const object = target();
      const value = Reflect.get(object, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value;
    },
  });
}

export const boundEntity = <K extends EntityName>(name: K): EntityApi<EntityRecords[K]> =>
  late(() => defaultClient().entities[name] as EntityApi<EntityRecords[K]>);
export const AuthAPI = late(() => defaultClient().auth);
export const FileAPI = late(() => defaultClient().files);
export const Core = late(() => defaultClient().integrations.Core);
