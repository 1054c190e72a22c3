/** Where tokens are kept: the subset of the Web Storage API the client uses, so localStorage fits as is. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** localStorage in a browser (a session survives a reload), memory elsewhere or where storage is blocked. */
export function defaultStorage(): TokenStorage {
  try {
    const local = (globalThis as { localStorage?: TokenStorage }).localStorage;
    if (local) {
      // Safari's private mode and sandboxed frames expose localStorage but throw on use.
      local.getItem('nexa_access_token');
      return local;
    }
  } catch {
    // Fall through to memory.
  }
  return memoryStorage();
}
