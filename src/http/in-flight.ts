import type { NextFunction, Request, Response } from 'express';

/**
 * The requests whose handlers are still running. A client that goes away closes its connection, and with it
 * gone the server can close, while the handler runs on and reaches for the database: at shutdown the process
 * waits for `idle()` before closing what handlers use (index.ts). A handler is done once the response is
 * ended or given up (`end`, `destroy`), whether or not anyone is still listening: Node itself calls neither
 * when the client leaves, so a handler that stops on its own when that happens must say so (`res.destroy()`),
 * or be mounted behind `filesOnly`.
 */
export class InFlightRequests {
  private running = 0;
  private waiting: (() => void)[] = [];

  readonly track = (_req: Request, res: Response, next: NextFunction): void => {
    this.running++;
    let open = true;
    const done = () => {
      if (!open) return;
      open = false;
      if (--this.running === 0) for (const resolve of this.waiting.splice(0)) resolve();
    };
    const { end, destroy } = res;
    res.end = function (this: Response, ...args: Parameters<Response['end']>) {
      done();
      return end.apply(this, args);
    } as Response['end'];
    res.destroy = function (this: Response, error?: Error) {
      done();
      return destroy.call(this, error);
    };
    next();
  };

  /**
   * For routes that only send files (express.static, `res.sendFile`): they stop when the client leaves,
   * without ending or destroying the response, and run nothing after; this gives the response up for them.
   */
  readonly filesOnly = (_req: Request, res: Response, next: NextFunction): void => {
    res.once('close', () => {
      if (!res.writableEnded) res.destroy();
    });
    next();
  };

  /** Resolves once no handler is running. */
  idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
}
