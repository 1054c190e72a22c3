import { ApiError } from './errors.js';
import type { Transport } from './transport.js';

export interface ChangeEvent<T = Record<string, unknown>> {
  entity: string;
  type: 'create' | 'update' | 'delete';
  id: string;
  /** The record as the subscriber may read it (for a delete, as it was). */
  data: T;
  timestamp: string;
}

/** Stops the subscription; `ready` settles once the server confirms it (rejects if it was refused). */
export type Unsubscribe = (() => void) & { ready: Promise<void> };

export interface SubscribeOptions {
  /** The subscription was refused or stopped for good (no access, signed out); it does not retry. */
  onError?: (error: ApiError) => void;
}

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

/** A pause that unsubscribing cuts short, so no timer outlives the subscription. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

interface Frame {
  event: string;
  data: string;
}

/** Splits a Server-Sent Events body into frames; comments (keep-alives) are skipped. */
async function* frames(body: ReadableStream<Uint8Array>): AsyncGenerator<Frame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length) yield { event, data: data.join('\n') };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Follows one entity over `GET /api/v1/realtime?entities=<Name>` with fetch rather than EventSource, so the
 * token goes in the Authorization header (not the URL, where logs keep it) and a 401 is renewed like any
 * other call. The server ends streams on its own (token expiry, shutdown): the client reconnects, with a
 * growing pause while the server cannot be reached.
 */
export function subscribeTo<T>(
  http: Transport,
  entity: string,
  callback: (event: ChangeEvent<T>) => void,
  options: SubscribeOptions = {},
): Unsubscribe {
  const abort = new AbortController();
  let confirm!: () => void;
  let refuse!: (err: ApiError) => void;
  const ready = new Promise<void>((resolve, reject) => {
    confirm = resolve;
    refuse = reject;
  });
  // Callers that never look at `ready` must not see an unhandled rejection.
  ready.catch(() => undefined);

  // A failing callback is the app's bug, reported as uncaught like an event listener's; the stream goes on.
  const deliver = (event: ChangeEvent<T>) => {
    try {
      callback(event);
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  };

  const run = async () => {
    let pause = RETRY_FIRST_MS;
    while (!abort.signal.aborted) {
      try {
        const res = await http.open('/api/v1/realtime', {
          query: { entities: entity },
          headers: { Accept: 'text/event-stream' },
          signal: abort.signal,
        });
        for await (const frame of frames(res.body!)) {
          if (frame.event === 'ready') {
            pause = RETRY_FIRST_MS;
            confirm();
          } else if (frame.event === 'change') deliver(JSON.parse(frame.data) as ChangeEvent<T>);
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof ApiError && err.status !== 0 && err.status !== 429 && err.status < 500) {
          refuse(err);
          options.onError?.(err);
          return;
        }
      }
      if (abort.signal.aborted) return;
      await sleep(pause, abort.signal);
      pause = Math.min(pause * 2, RETRY_MAX_MS);
    }
  };
  void run();

  return Object.assign(() => abort.abort(), { ready });
}
