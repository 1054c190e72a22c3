import { createLogger } from '../../src/logger';
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
      2,
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
    1,
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
