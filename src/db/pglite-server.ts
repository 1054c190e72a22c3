import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/** Codes of the untyped messages a connection may open with. */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Sync, simple Query, Flush: the messages after which a client waits for answers. */
const REQUEST_ENDS = new Set(['S', 'Q', 'H'].map((c) => c.charCodeAt(0)));
const TERMINATE = 'X'.charCodeAt(0);

interface Connection {
  socket: net.Socket;
  buffer: Buffer;
  started: boolean;
  closed: boolean;
  /** Messages of the request being received, sent to PGlite together once it is complete. */
  pending: Buffer[];
}

interface Request {
  conn: Connection;
  bytes: Buffer;
}

/** A FATAL ErrorResponse, for a connection refused before PGlite sees it. */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

/**
 * Serves one PGlite — a single PostgreSQL session — to several connections over TCP, so the app and its
 * tools use the ordinary `pg` driver. Each connection's requests run whole: every message up to the Sync (or
 * a simple Query) is handed to PGlite at once, so two connections' Parse and Bind never meet in the shared
 * session's unnamed statement. (@electric-sql/pglite-socket queues message by message, which lets them
 * interleave: a Bind runs another connection's statement, or fails with "unnamed prepared statement does not
 * exist"; electric-sql/pglite#1046.) While a connection's transaction is open only its requests run; if it
 * goes away mid-transaction, the transaction is rolled back. Not served: COPY from a client, and a portal read
 * in parts (Execute, Flush, Execute), which would need the session kept between requests; the app uses neither.
 */
export class PGliteServer {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly connections = new Set<Connection>();
  private waiting: Request[] = [];
  private running = false;
  /** The connection whose transaction is open. */
  private owner: Connection | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly maxConnections: number,
  ) {}

  /** Listens on a free port of `host`; resolves with `host:port`. */
  listen(host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => {
        const { port } = this.server.address() as net.AddressInfo;
        resolve(`${host}:${port}`);
      });
    });
  }

  async stop(): Promise<void> {
    for (const conn of this.connections) conn.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    // A request under way finishes before PGlite is closed.
    await this.db.runExclusive(async () => undefined);
  }

  private accept(socket: net.Socket): void {
    if (this.connections.size >= this.maxConnections) {
      const refusal = fatal(
        '53300',
        `too many connections (the embedded database takes ${this.maxConnections})`,
      );
      // Closed from this side once written: a client that failed to connect may never close its own.
      socket.end(refusal, () => socket.destroy());
      return;
    }
    socket.setNoDelay(true);
    const conn: Connection = { socket, buffer: Buffer.alloc(0), started: false, closed: false, pending: [] };
    this.connections.add(conn);
    socket.on('data', (chunk: Buffer) => this.receive(conn, chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.closed(conn));
  }

  private receive(conn: Connection, chunk: Buffer): void {
    conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
    for (;;) {
      // Before the startup message, messages have no type byte.
      const typed = conn.started ? 1 : 0;
      if (conn.buffer.length < typed + 4) return;
      const length = typed + conn.buffer.readInt32BE(typed);
      if (conn.buffer.length < length) return;
      const message = conn.buffer.subarray(0, length);
      conn.buffer = conn.buffer.subarray(length);
      if (!conn.started) {
        const code = message.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          // Not supported: a running statement cannot be interrupted in PGlite.
          conn.socket.destroy();
          return;
        }
        conn.started = true;
        this.enqueue(conn, message);
        continue;
      }
      if (message[0] === TERMINATE) {
        conn.socket.end();
        return;
      }
      conn.pending.push(message);
      if (REQUEST_ENDS.has(message[0]!)) {
        this.enqueue(conn, Buffer.concat(conn.pending));
        conn.pending = [];
      }
    }
  }

  private closed(conn: Connection): void {
    conn.closed = true;
    this.connections.delete(conn);
    this.waiting = this.waiting.filter((r) => r.conn !== conn);
    // Its open transaction is rolled back before anyone else runs.
    if (this.owner === conn) this.enqueue(conn, Buffer.alloc(0), true);
  }

  private enqueue(conn: Connection, bytes: Buffer, first = false): void {
    if (first) this.waiting.unshift({ conn, bytes });
    else this.waiting.push({ conn, bytes });
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.owner ? this.waiting.findIndex((r) => r.conn === this.owner) : 0;
        if (next < 0 || next >= this.waiting.length) return;
        const [request] = this.waiting.splice(next, 1);
        await this.execute(request!);
      }
    } finally {
      this.running = false;
    }
  }

  private async execute({ conn, bytes }: Request): Promise<void> {
    if (!conn.closed && bytes.length) {
      try {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(new Uint8Array(bytes), {
            onRawData: (data) => {
              if (!conn.closed) conn.socket.write(data);
            },
          }),
        );
      } catch {
        // PGlite answers SQL errors in the protocol stream; a throw is its own failure: end this connection.
        conn.socket.destroy();
      }
    }
    if (this.db.isInTransaction()) {
      if (!conn.closed) {
        this.owner = conn;
        return;
      }
      await this.db.exec('ROLLBACK');
    }
    this.owner = undefined;
  }
}
