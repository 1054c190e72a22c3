import type { Response, Test } from 'supertest';
import type { TestApp } from './app';

/** Query parameters in order; repeated names are allowed (`[['status', 'new'], ['status', 'lost']]`). */
export type QueryPairs = [string, string][];

/** `/api/v1/leads` + pairs → a URL with every name and value percent-encoded. */
export function withQuery(path: string, query: QueryPairs | Record<string, string> = []): string {
  const params = new URLSearchParams(Array.isArray(query) ? query : Object.entries(query));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID_V4ish = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const expectIsoUtc = (value: unknown): void => {
  expect(value).toEqual(expect.stringMatching(ISO_UTC));
};

/** Every key of every object anywhere in a JSON value. */
export function allKeys(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      allKeys(v, into);
    }
  }
  return into;
}

/** The one error shape of /api/v1: `{error: {code, message, details?}}` and nothing else. */
export function expectErrorShape(body: unknown): void {
  expect(body).toEqual({
    error: expect.objectContaining({
      code: expect.stringMatching(/^[A-Z][A-Z_]+$/),
      message: expect.any(String),
    }),
  });
  const error = (body as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k))).toEqual([]);
  expect((error.message as string).length).toBeGreaterThan(0);
  if ('details' in error) {
    expect(Array.isArray(error.details)).toBe(true);
    for (const d of error.details as Record<string, unknown>[]) {
      expect(typeof d.message).toBe('string');
      expect(Object.keys(d).filter((k) => !['field', 'index', 'message'].includes(k))).toEqual([]);
      if ('field' in d) expect(typeof d.field).toBe('string');
      if ('index' in d) expect(Number.isInteger(d.index)).toBe(true);
    }
  }
}

export interface ErrorExpectation {
  code?: string;
  /** Fields the details must name (at least these). */
  fields?: string[];
  message?: RegExp;
}

/** Asserts status, the error shape, and optionally its code, named fields and message. */
export function expectError(res: Response, status: number, e: ErrorExpectation = {}): void {
  if (res.status !== status) {
    throw new Error(`Expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  expectErrorShape(res.body);
  const error = res.body.error as { code: string; message: string; details?: { field?: string }[] };
  if (e.code) expect(error.code).toBe(e.code);
  if (e.message) expect(error.message).toMatch(e.message);
  if (e.fields) {
    const named = (error.details ?? []).map((d) => d.field);
    expect(named).toEqual(expect.arrayContaining(e.fields));
  }
}

export interface Client {
  get(url: string, query?: QueryPairs | Record<string, string>): Promise<Response>;
  post(url: string, body?: unknown): Promise<Response>;
  patch(url: string, body?: unknown): Promise<Response>;
  put(url: string, body?: unknown): Promise<Response>;
  delete(url: string): Promise<Response>;
  /** A raw request with the credentials set, for bodies supertest would otherwise encode. */
  raw(method: 'post' | 'patch' | 'put', url: string): Test;
  /** Checks a response obtained through `raw`. */
  check(res: Response): Response;
}

/**
 * Requests as one user. Every response is checked on the way back: never a 5xx, every error in the one
 * error shape, and none of the `hidden` field names anywhere in the body.
 */
export function apiClient(t: TestApp, auth: { Authorization: string }, hidden: readonly string[]): Client {
  const check = (res: Response): Response => {
    const where = `${res.request?.method ?? ''} ${res.request?.url ?? ''}`;
    if (res.status >= 500) throw new Error(`${where} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (res.status >= 400) expectErrorShape(res.body);
    const leaked = [...allKeys(res.body)].filter((k) => hidden.includes(k));
    if (leaked.length) throw new Error(`${where} leaked hidden fields ${leaked.join(', ')}`);
    return res;
  };
  const send = async (test: Test, body?: unknown) =>
    check(await (body === undefined ? test : test.send(body as object)));
  return {
    get: (url, query) => send(t.http.get(withQuery(url, query)).set(auth)),
    post: (url, body) => send(t.http.post(url).set(auth), body),
    patch: (url, body) => send(t.http.patch(url).set(auth), body),
    put: (url, body) => send(t.http.put(url).set(auth), body),
    delete: (url) => send(t.http.delete(url).set(auth)),
    raw: (method, url) => t.http[method](url).set(auth),
    check,
  };
}

/** Names of fields declared hidden on any entity of the registry. */
export function hiddenFieldNames(t: TestApp): string[] {
  return [
    ...new Set(
      t.c.registry.all().flatMap((rt) =>
        Object.entries(rt.decl.fields)
          .filter(([, f]) => f.spec.hidden)
          .map(([n]) => n),
      ),
    ),
  ];
}
