import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import type { Container } from '../../src/container';
import { attachSocketServer, SOCKET_PATH } from '../../src/realtime/socket-server';
import { startTestApp, type TestApp } from './app';

export interface RealtimeTestApp extends TestApp {
  /** Where the listening server answers, e.g. http://127.0.0.1:41234. */
  url: string;
}

/** The real app on a loopback port with the socket.io server attached, as src/index.ts serves it. */
export async function startRealtimeApp(env: NodeJS.ProcessEnv = {}): Promise<RealtimeTestApp> {
  const t = await startTestApp(env);
  const server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = attachSocketServer(server, t.c);
  const { port } = server.address() as AddressInfo;
  return {
    ...t,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      t.c.realtime.stop();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/** Polls until `check` returns (or resolves to) something, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An access token of `userId` that expires `inSeconds` from now (negative: already expired). */
export function tokenExpiring(c: Container, userId: string, organizationId: string, inSeconds: number) {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    { org: organizationId, typ: 'access', iat: now - 120, exp: now + inSeconds },
    c.config.auth.jwtSecret!,
    {
      algorithm: 'HS256',
      subject: userId,
      issuer: c.config.auth.jwtIssuer,
      audience: c.config.auth.jwtAudience,
    },
  );
}

// ------------------------------------------------------------------ socket.io (the Base44 protocol)

export interface Update {
  room: string;
  type: 'create' | 'update' | 'delete';
  id: string;
  data: Record<string, unknown>;
  timestamp: string;
}

export interface TestSocket {
  socket: Socket;
  /** Every update_model received, its `data` parsed. */
  updates: Update[];
  /** Every `error` event received. */
  errors: { code: string; message: string; room?: string }[];
  disconnected: () => boolean;
}

/** Connects as the SDK does (websocket only, `app_id` and `token` in the handshake); rejects with the connect_error. */
export function connectSocket(url: string, query: Record<string, string>): Promise<TestSocket> {
  const socket = io(url, { path: SOCKET_PATH, transports: ['websocket'], query, reconnection: false });
  const t: TestSocket = { socket, updates: [], errors: [], disconnected: () => !socket.connected };
  socket.on('update_model', (msg: { room: string; data: string }) =>
    t.updates.push({ room: msg.room, ...(JSON.parse(msg.data) as Omit<Update, 'room'>) }),
  );
  socket.on('error', (e: TestSocket['errors'][number]) => t.errors.push(e));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(t));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

// ------------------------------------------------------------------ Server-Sent Events

export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface TestStream {
  status: number;
  /** The JSON error body, when the stream was refused. */
  body?: { error: { code: string; message: string } };
  headers: Headers;
  events: StreamEvent[];
  comments: string[];
  ended: () => boolean;
  close(): void;
}

/** Opens an event stream with fetch and parses it as it arrives, the way a dependency-free client would. */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<TestStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const stream: TestStream = {
    status: res.status,
    headers: res.headers,
    events: [],
    comments: [],
    ended: () => done,
    close: () => abort.abort(),
  };
  let done = false;
  if (!res.ok) {
    stream.body = (await res.json()) as TestStream['body'];
    done = true;
    return stream;
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data) stream.events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    } catch {
      // Aborted by close().
    }
    done = true;
  })();
  return stream;
}
