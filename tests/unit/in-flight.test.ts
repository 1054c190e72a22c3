import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import express from 'express';
import { InFlightRequests } from '../../src/http/in-flight';
import { sendDownload } from '../../src/http/send-download';

/**
 * A handler runs on after its client has gone and the server has closed; `idle()` waits for it. Real HTTP
 * on loopback: what Node does when a client leaves is the point.
 */
let inFlight: InFlightRequests;
let server: http.Server;
let url: string;
let answer: () => void;
let answered: Promise<void>;
/** A file larger than what loopback sockets buffer, so a client that leaves cuts its sending short. */
let files: string;

beforeAll(() => {
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'in-flight-'));
  fs.writeFileSync(path.join(files, 'large.bin'), Buffer.alloc(64 * 1024 * 1024));
});
afterAll(() => fs.rmSync(files, { recursive: true, force: true }));

beforeEach(async () => {
  inFlight = new InFlightRequests();
  answered = new Promise((resolve) => (answer = resolve));
  const app = express();
  app.use(inFlight.track);
  app.get('/quick', (_req, res) => void res.json({ ok: true }));
  app.get('/slow', async (_req, res) => {
    await answered;
    res.json({ ok: true });
  });
  app.get('/download', async (_req, res) => {
    async function* chunks() {
      for (;;) {
        yield 'x'.repeat(64 * 1024);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const body = Readable.from(chunks());
    await sendDownload(
      res,
      {
        kind: 'stream',
        body,
        contentType: 'text/plain',
        filename: 'endless.txt',
        size: null,
        disposition: 'attachment',
      },
      'no-store',
    );
  });
  app.use('/files', inFlight.filesOnly, express.static(files));
  app.use('/unmarked', express.static(files));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => new Promise((resolve) => server.close(resolve)));

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 50));
  return done;
};

/** A request whose client goes away once the server has it. */
function leaveDuring(path: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(`${url}${path}`);
    req.on('error', () => undefined);
    server.once('request', () => setTimeout(() => (req.destroy(), resolve()), 20));
  });
}

it('is idle when every answer has been sent', async () => {
  expect((await fetch(`${url}/quick`)).status).toBe(200);
  await expect(settled(inFlight.idle())).resolves.toBe(true);
});

it('waits for a handler whose client left, after the server closed', async () => {
  await leaveDuring('/slow');
  const closed = new Promise((resolve) => server.close(resolve));
  await closed;
  const idle = inFlight.idle();
  await expect(settled(idle)).resolves.toBe(false);
  answer();
  await expect(settled(idle)).resolves.toBe(true);
  server = http.createServer(); // afterEach closes a server
});

/** Reads the first bytes of `path`, then goes away. */
const cutOff = (path: string) =>
  new Promise<void>((resolve) => {
    const req = http.get(`${url}${path}`, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => undefined);
  });

it('counts a download its client cut off as done', async () => {
  await cutOff('/download');
  await expect(settled(inFlight.idle())).resolves.toBe(true);
});

it('counts a static file its client cut off as done behind filesOnly', async () => {
  await cutOff('/files/large.bin');
  await expect(settled(inFlight.idle())).resolves.toBe(true);
});

it('would wait for a static file cut off without filesOnly: express.static ends nothing then', async () => {
  await cutOff('/unmarked/large.bin');
  await expect(settled(inFlight.idle())).resolves.toBe(false);
});
