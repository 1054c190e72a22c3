import { ApiError } from './errors.js';

export type QueryInit = URLSearchParams | Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: string;
  query?: QueryInit;
  /** A FormData goes as multipart; anything else as JSON. */
  body?: unknown;
  /** false for the sign-in routes, which must not carry (or try to renew) a token. */
  authenticated?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Supplies the access token and, after a 401, a renewed one (or null when the session cannot be renewed). */
export interface TokenSource {
  current(): Promise<string | null>;
  renew(rejected: string): Promise<string | null>;
}

export interface TransportOptions {
  baseUrl: string;
  tokens: TokenSource;
  onAuthError?: (error: ApiError) => void;
  fetch?: typeof fetch;
}

function search(query: QueryInit | undefined): string {
  if (!query) return '';
  const params =
    query instanceof URLSearchParams
      ? query
      : new URLSearchParams(
          Object.entries(query)
            .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
            .map(([k, v]): [string, string] => [k, String(v)]),
        );
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** HTTP for the modules: bearer token, JSON in and out, errors as ApiError, one renewal and retry on a 401. */
export class Transport {
  private readonly baseUrl: string;

  constructor(private readonly o: TransportOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
  }

  url(path: string, query?: QueryInit): string {
    return `${this.baseUrl}${path}${search(query)}`;
  }

  /** The parsed JSON body of a successful answer, undefined for 204. */
  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.open(path, options);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** The `data` of an `{ data, meta }` answer. */
  async data<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.json<{ data: T }>(path, options)).data;
  }

  /** A successful response, unread (event streams and downloads read it themselves). */
  async open(path: string, options: RequestOptions = {}): Promise<Response> {
    const url = this.url(path, options.query);
    const authenticated = options.authenticated !== false;
    const token = authenticated ? await this.o.tokens.current() : null;
    let res = await this.send(url, options, token);
    if (res.status === 401 && authenticated) {
      const renewed = token ? await this.o.tokens.renew(token) : null;
      if (renewed) res = await this.send(url, options, renewed);
      if (res.status === 401) {
        const error = await ApiError.fromResponse(res);
        this.o.onAuthError?.(error);
        throw error;
      }
    }
    if (!res.ok) throw await ApiError.fromResponse(res);
    return res;
  }

  private async send(url: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: FormData | string | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const fetchImpl = this.o.fetch ?? globalThis.fetch;
    try {
      return await fetchImpl(url, { method: options.method ?? 'GET', headers, body, signal: options.signal });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw ApiError.network(url, err);
    }
  }
}
