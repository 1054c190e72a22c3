import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Container } from '../container';
import { AppError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../errors';
import type { RecordChange } from '../events';
import { mayUseApp, organizationOfApp } from '../http/base44/app-scope';
import { Base44Records, toColumn } from '../http/base44/records';
import type { Delivery, SubscriberSink, Subscription } from './broker';
import { tokenIdentity, type Identity } from './identity';

/** Where `@base44/sdk` looks for the realtime server. */
export const SOCKET_PATH = '/ws-user-apps/socket.io/';

/** What the SDK sends as the token when nobody is signed in. */
const ANONYMOUS = new Set(['', 'null', 'undefined']);

interface Handshake {
  appId: string;
  identity: Identity;
}

export interface RealtimeSockets {
  close(): void;
}

type Values = Record<string, unknown>;
type Ack = (answer: { ok: true } | { ok: false; code: string; message: string }) => void;

/**
 * Base44's realtime protocol over socket.io, on the HTTP server: a thin adapter over the broker. The
 * handshake carries `app_id` and `token`, verified as on HTTP; the client joins and leaves the rooms
 * `entities:<app>:<Entity>`; the server emits `update_model` with `{ room, data: JSON string }` for each
 * change the user may read, in Base44's record shape. A refused join is an `error` event (and a negative
 * answer when the client asked for an acknowledgement).
 */
export function attachSocketServer(server: HttpServer, c: Container): RealtimeSockets {
  const io = new Server(server, { path: SOCKET_PATH, transports: ['websocket'], serveClient: false });
  const organizations = c.models.get('Organization');
  const records = new Base44Records(c.models.get('User'));
  // Base44's shape of a change's record needs the creator's email: look it up once per change, not per socket.
  const shaped = new WeakMap<RecordChange, Promise<Values>>();

  const base44Record = async (d: Delivery): Promise<Values> => {
    let full = shaped.get(d.change);
    if (!full) {
      full = records.presentOne(d.change.record);
      shaped.set(d.change, full);
    }
    return Object.fromEntries(Object.entries(await full).filter(([name]) => toColumn(name) in d.record));
  };

  const describe = (err: unknown): AppError => {
    if (err instanceof AppError) return err;
    c.logger.error(`Realtime socket: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return new AppError(500, 'INTERNAL', 'Something went wrong on the server: try again later');
  };

  const handshake = async (socket: Socket): Promise<Handshake> => {
    const { app_id: appId, token } = socket.handshake.query;
    if (typeof appId !== 'string' || !appId)
      throw new ValidationError('Connect with your app id in the app_id query parameter');
    if (typeof token !== 'string' || ANONYMOUS.has(token))
      throw new UnauthorizedError('Sign in first: realtime updates need an access token (token)');
    const identity = await tokenIdentity(c, token);
    if (!mayUseApp(c.config.base44, await organizationOfApp(organizations, appId), identity.actor))
      throw new NotFoundError(`No app with id ${JSON.stringify(appId)}`);
    return { appId, identity };
  };

  io.use((socket, next) => {
    handshake(socket).then(
      (data) => {
        socket.data = data;
        next();
      },
      (err: unknown) => {
        // The client's connect_error carries this message, and the code and status in `data`.
        const e = describe(err);
        next(Object.assign(new Error(e.message), { data: { code: e.code, status: e.status } }));
      },
    );
  });

  io.on('connection', (socket) => {
    const { appId, identity } = socket.data as Handshake;
    const prefix = `entities:${appId}:`;
    const refuse = (err: AppError, room?: unknown) =>
      socket.emit('error', { code: err.code, message: err.message, ...(room !== undefined ? { room } : {}) });
    const sink: SubscriberSink = {
      deliver: async (d) => {
        const data = await base44Record(d);
        socket.emit('update_model', {
          room: prefix + d.entity,
          data: JSON.stringify({ type: d.type, data, id: d.id, timestamp: d.timestamp }),
        });
      },
      end: (reason) => {
        socket.emit('error', { code: 'SUBSCRIPTION_ENDED', message: reason });
        socket.disconnect(true);
      },
    };
    let sub: Subscription;
    try {
      sub = c.realtime.connect(identity, sink);
    } catch (err) {
      refuse(describe(err));
      socket.disconnect(true);
      return;
    }

    const entityOf = (room: unknown): string => {
      if (typeof room !== 'string' || !room.startsWith(prefix)) {
        throw new ForbiddenError(
          `Cannot use room ${JSON.stringify(room)}: this connection is for app ${appId}, whose rooms are ${prefix}<Entity>`,
        );
      }
      return room.slice(prefix.length);
    };
    const handle = (work: (room: unknown) => void) => (room: unknown, ack?: unknown) => {
      const answer = typeof ack === 'function' ? (ack as Ack) : undefined;
      try {
        work(room);
        answer?.({ ok: true });
      } catch (err) {
        const e = describe(err);
        refuse(e, room);
        answer?.({ ok: false, code: e.code, message: e.message });
      }
    };
    // The SDK joins again on every reconnect (and on first connect too): following is idempotent.
    socket.on(
      'join',
      handle((room) => sub.follow(entityOf(room))),
    );
    socket.on(
      'leave',
      handle((room) => sub.unfollow(entityOf(room))),
    );
    socket.on('disconnect', () => sub.close());
  });

  return {
    // Subscriptions were ended by the broker; this drops whatever is left (connections still handshaking).
    close: () => {
      io.disconnectSockets(true);
      io.engine.close();
    },
  };
}
