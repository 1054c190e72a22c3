import autocannon from 'autocannon';

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Answers that were not 2xx, and connection errors: a scenario with these measured something else. */
  failures: number;
}

export interface Scenario {
  name: string;
  method?: 'GET' | 'POST' | 'PATCH';
  /** A path per request (rotating ids, terms), or one fixed path. */
  path: () => string;
  body?: () => unknown;
  token: string;
}

/** Drives one server with one scenario at `connections` for `duration` seconds. */
export async function drive(
  url: string,
  s: Scenario,
  connections: number,
  duration: number,
): Promise<Figures> {
  const result = await autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method: s.method ?? 'GET',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        setupRequest: (req) => ({
          ...req,
          path: s.path(),
          ...(s.body ? { body: JSON.stringify(s.body()) } : {}),
        }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

export const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
