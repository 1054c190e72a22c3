import { createLogger, type Logger } from '../../src/logger';
import { InProcessQueue } from '../../src/services/queue/in-process-queue';
import type { Attempt } from '../../src/services/queue/job-queue';

const logger = createLogger({ level: 'error', format: 'json', toFiles: false, dir: '.' });

it('retries a failing job with backoff until it succeeds, and reports which attempt is the last', async () => {
  const seen: Attempt[] = [];
  const done = new Promise<void>((resolve) => {
    const queue = new InProcessQueue<{ n: number }>(
      'test',
      async (_data, attempt) => {
        seen.push(attempt);
        if (attempt.number < 3) throw new Error('provider down');
        resolve();
      },
      { attempts: 4, backoffMs: 5 },
      { concurrency: 2, drainMs: 1000 },
      logger,
    );
    void queue.add({ n: 1 });
  });
  await done;
  expect(seen).toEqual([
    { number: 1, final: false },
    { number: 2, final: false },
    { number: 3, final: false },
  ]);
});

it('stops after the last attempt, and close() waits for the running job', async () => {
  let runs = 0;
  let finished = false;
  const queue = new InProcessQueue<object>(
    'test',
    async (_data, attempt) => {
      runs++;
      if (attempt.final) {
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
      }
      throw new Error('always fails');
    },
    { attempts: 2, backoffMs: 1 },
    { concurrency: 1, drainMs: 1000 },
    logger,
  );
  await queue.add({});
  await new Promise((r) => setTimeout(r, 15));
  await queue.close();
  expect(finished).toBe(true);
  await new Promise((r) => setTimeout(r, 20));
  expect(runs).toBe(2);
  await expect(queue.add({})).rejects.toThrow(/closed/);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('close()', () => {
  it('runs the jobs still waiting their turn, as last attempts', async () => {
    const seen: [number, Attempt][] = [];
    const queue = new InProcessQueue<{ n: number }>(
      'test',
      async ({ n }, attempt) => {
        await sleep(5);
        seen.push([n, attempt]);
      },
      { attempts: 3, backoffMs: 1 },
      { concurrency: 1, drainMs: 5000 },
      logger,
    );
    for (let n = 1; n <= 4; n++) await queue.add({ n });
    await queue.close();
    expect(seen).toEqual([
      [1, { number: 1, final: false }],
      [2, { number: 1, final: true }],
      [3, { number: 1, final: true }],
      [4, { number: 1, final: true }],
    ]);
  });

  it('gives a job waiting for its retry its last attempt at once', async () => {
    const seen: Attempt[] = [];
    const queue = new InProcessQueue<object>(
      'test',
      async (_data, attempt) => {
        seen.push(attempt);
        if (attempt.number === 1) throw new Error('provider down');
      },
      { attempts: 5, backoffMs: 60_000 },
      { concurrency: 1, drainMs: 5000 },
      logger,
    );
    await queue.add({});
    await sleep(20);
    const started = Date.now();
    await queue.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen).toEqual([
      { number: 1, final: false },
      { number: 2, final: true },
    ]);
  });

  it('retries at once, as a last attempt, a job that fails while the queue closes', async () => {
    const seen: Attempt[] = [];
    const queue = new InProcessQueue<object>(
      'test',
      async (_data, attempt) => {
        seen.push(attempt);
        if (attempt.number === 1) {
          await sleep(30);
          throw new Error('provider down');
        }
      },
      { attempts: 5, backoffMs: 60_000 },
      { concurrency: 1, drainMs: 5000 },
      logger,
    );
    await queue.add({});
    await sleep(5);
    await queue.close();
    expect(seen).toEqual([
      { number: 1, final: false },
      { number: 2, final: true },
    ]);
  });

  it('starts nothing after drainMs, waits for what runs, and says how many jobs were not run', async () => {
    const warnings: string[] = [];
    const quiet = { warn: (message: string) => warnings.push(message) } as unknown as Logger;
    let ran = 0;
    const queue = new InProcessQueue<object>(
      'mail',
      async () => {
        await sleep(40);
        ran++;
      },
      { attempts: 1, backoffMs: 1 },
      { concurrency: 1, drainMs: 60 },
      quiet,
    );
    for (let n = 0; n < 5; n++) await queue.add({});
    await queue.close();
    expect(ran).toBe(2);
    expect(warnings).toEqual(['3 mail job(s) were not run: the process stopped before their turn came']);
  });
});
