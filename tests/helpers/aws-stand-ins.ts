import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import startSesServer from 'aws-ses-v2-local';
// s3rver ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

/** Credentials s3rver checks signatures with; the AWS SDK finds them through its default provider chain. */
export function useStandInCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
}

export interface S3StandIn {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

/** A real S3-protocol server (s3rver) on a loopback port, with one bucket. */
export async function startS3(bucket = 'nexa-test'): Promise<S3StandIn> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'nexa-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    async stop() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface CapturedEmail {
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

export interface SesStandIn {
  endpoint: string;
  /** Messages received so far. */
  emails(): Promise<CapturedEmail[]>;
  stop(): Promise<void>;
}

/** A local SES endpoint (aws-ses-v2-local) that stores every message it receives. */
export async function startSes(): Promise<SesStandIn> {
  const server = await startSesServer({ host: '127.0.0.1', port: 0 });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    async emails() {
      const res = await fetch(`${endpoint}/store`);
      return ((await res.json()) as { emails: CapturedEmail[] }).emails;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An SES-protocol endpoint that refuses every message the way SES refuses an unverified sender. */
export async function startRejectingSes(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>' +
          '<Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error>' +
          '<RequestId>stand-in</RequestId></ErrorResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
