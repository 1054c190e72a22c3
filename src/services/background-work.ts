import type { Logger } from '../logger';

/**
 * Work a request starts without waiting for it: an email sent after the answer, so that the answer's timing
 * tells nothing, or a notification that must not hold up the change it is about. Kept track of so that a
 * stopping instance finishes it before the mail queue and the database close.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Runs `task` after the current turn of the event loop; a failure is logged after `failure`. */
  start(failure: string, task: () => Promise<unknown>): void {
    const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .then(
        () => undefined,
        (err: unknown) => {
          this.logger.warn(`${failure}: ${err instanceof Error ? err.message : String(err)}`);
        },
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once the work started so far, and whatever it starts in turn, has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}
