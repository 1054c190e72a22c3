import os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code. It is evaluated rather than loaded from a file so it runs the same from the compiled
 * build, under tsx and under Jest; bcryptjs is loaded by the absolute path the main thread resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
// On Linux a thread has its own nice value: hashing yields the cores to the event loop, so a burst of
// logins slows logins rather than every other request. (Elsewhere this call would lower the whole process.)
if (process.platform === 'linux') {
  try {
    require('node:os').setPriority(require('node:os').constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not permitted here: hash at normal priority.
  }
}
parentPort.on('message', ({ id, op, plain, saltOrHash }) => {
  try {
    const result = op === 'hash' ? bcrypt.hashSync(plain, saltOrHash) : bcrypt.compareSync(plain, saltOrHash);
    parentPort.postMessage({ id, result });
  } catch (err) {
    parentPort.postMessage({ id, error: err && err.message ? err.message : String(err) });
  }
});
`;

interface PoolWorker {
  worker: Worker;
  busy: number;
}

interface Pending {
  owner: PoolWorker;
  resolve(value: string | boolean): void;
  reject(err: Error): void;
}

/**
 * bcrypt on worker threads. A hash costs ~100 ms of CPU at 10 rounds (~250 ms at 12); done on the event
 * loop, a burst of logins would stall every other request for that long each. Here the loop only posts a
 * message, and on Linux the threads run below normal priority so that, on a machine with few cores, they
 * take the CPU the event loop leaves. Threads start on first use and do not keep the process alive.
 */
export class BcryptPool {
  private readonly workers: PoolWorker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly size = Math.max(1, Math.min(4, os.availableParallelism() - 1))) {}

  hash(plain: string, rounds: number): Promise<string> {
    return this.run({ op: 'hash', plain, saltOrHash: rounds }) as Promise<string>;
  }

  compare(plain: string, hash: string): Promise<boolean> {
    return this.run({ op: 'compare', plain, saltOrHash: hash }) as Promise<boolean>;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
    for (const p of this.pending.values()) p.reject(new Error('The password hashing pool was closed'));
    this.pending.clear();
  }

  private run(message: { op: 'hash' | 'compare'; plain: string; saltOrHash: string | number }) {
    if (this.closed) return Promise.reject(new Error('The password hashing pool is closed'));
    const target = this.leastBusy();
    const id = this.nextId++;
    target.busy++;
    return new Promise<string | boolean>((resolve, reject) => {
      this.pending.set(id, { owner: target, resolve, reject });
      target.worker.postMessage({ id, ...message });
    });
  }

  private leastBusy(): PoolWorker {
    const idle = this.workers.find((w) => w.busy === 0);
    if (idle) return idle;
    if (this.workers.length < this.size) return this.spawn();
    return this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private spawn(): PoolWorker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { bcryptPath: require.resolve('bcryptjs') },
    });
    worker.unref();
    const entry: PoolWorker = { worker, busy: 0 };
    worker.on('message', (m: { id: number; result?: string | boolean; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      entry.busy--;
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result!);
    });
    worker.on('error', (err) => {
      // A crashed thread fails what it held; the next call starts a fresh one.
      const i = this.workers.indexOf(entry);
      if (i >= 0) this.workers.splice(i, 1);
      for (const [id, p] of this.pending) {
        if (p.owner !== entry) continue;
        this.pending.delete(id);
        p.reject(err);
      }
    });
    this.workers.push(entry);
    return entry;
  }
}
