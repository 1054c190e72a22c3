import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An SES endpoint that is down for its first `failures` requests (503 ServiceUnavailable, as SES answers
 * when it is), then passes every request through to `target` (the aws-ses-v2-local stand-in).
 */
export async function startFlakySes(
  target: string,
  failures: number,
): Promise<{ endpoint: string; requests: () => number; stop(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    if (requests <= failures) {
      req.resume();
      res.writeHead(503, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Receiver</Type>' +
          '<Code>ServiceUnavailable</Code><Message>Service is unavailable.</Message></Error>' +
          '<RequestId>stand-in</RequestId></ErrorResponse>',
      );
      return;
    }
    const upstream = http.request(
      `${target}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
