import {
  MemoryStore,
  type ClientRateLimitInfo,
  type IncrementResponse,
  type Options,
  type Store,
} from 'express-rate-limit';

/**
 * A shared store (Redis) that falls back to this instance's own counts while it cannot be reached, so an
 * outage of Redis neither stops every request (a limiter whose store fails answers 500) nor lifts the limits
 * (they hold per instance until Redis is back). While Redis is down no command is sent at all: ioredis would
 * queue it and the request would wait for the reconnection.
 */
export class FailoverStore implements Store {
  private readonly local = new MemoryStore();
  private options: Options | undefined;
  /** Whether the shared store is set up (rate-limit-redis loads its scripts in `init`). */
  private ready: Promise<boolean> = Promise.resolve(false);
  private failing = false;

  constructor(
    private readonly shared: Store,
    /** Whether the shared store's connection is up now. */
    private readonly reachable: () => boolean,
    /** Told once when the shared store starts failing, and once when it works again. */
    private readonly report: (problem: unknown) => void,
  ) {}

  init(options: Options): void {
    this.options = options;
    this.local.init(options);
    this.ready = this.setUp();
  }

  async increment(key: string): Promise<IncrementResponse> {
    const shared = await this.attempt((s) => s.increment(key));
    return shared ? shared.value : this.local.increment(key);
  }

  async decrement(key: string): Promise<void> {
    if (!(await this.attempt((s) => s.decrement(key)))) this.local.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    this.local.resetKey(key);
    await this.attempt((s) => s.resetKey(key));
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const get = this.shared.get?.bind(this.shared);
    const shared = get ? await this.attempt(() => get(key)) : undefined;
    return shared ? shared.value : this.local.get(key);
  }

  shutdown(): void {
    this.local.shutdown();
  }

  /** The shared store's answer, or undefined when it is unreachable or failed (having reported so). */
  private async attempt<T>(work: (s: Store) => Promise<T> | T): Promise<{ value: T } | undefined> {
    if (!this.reachable()) return this.fail(new Error('not connected'));
    const ready = this.ready;
    // Set up again if Redis was down when the store first tried (rate-limit-redis would keep failing).
    if (!(await ready) && this.ready === ready) this.ready = this.setUp();
    if (!(await this.ready)) return this.fail(new Error('its scripts could not be loaded'));
    try {
      const value = await work(this.shared);
      if (this.failing) {
        this.failing = false;
        this.report(undefined);
      }
      return { value };
    } catch (err) {
      return this.fail(err);
    }
  }

  private fail(problem: unknown): undefined {
    if (!this.failing) {
      this.failing = true;
      this.report(problem);
    }
    return undefined;
  }

  private async setUp(): Promise<boolean> {
    if (!this.options || !this.reachable()) return false;
    try {
      await this.shared.init?.(this.options);
      return true;
    } catch {
      return false;
    }
  }
}
