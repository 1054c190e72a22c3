import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { startS3, useStandInCredentials } from '../helpers/aws-stand-ins';
import { PDF, PNG } from '../helpers/files';
import { settledEmail } from '../helpers/mail';
import {
  sdkClient,
  sdkError,
  startBase44Stage,
  startListeningApp,
  stopBase44Stage,
  type ListeningApp,
  type Sdk,
} from '../helpers/sdk';
import type { Tenant } from '../helpers/tenant';

/**
 * `base44.integrations.Core.*` from the official SDK against our server: files stored as Documents and read
 * back through their links, email recorded, data extracted from stored files, and the language and image
 * models through a real local HTTP server standing in for an OpenAI-compatible API.
 */
interface StandInCall {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** An OpenAI-compatible endpoint on a loopback port: chat completions and image generations. */
async function startModelStandIn(): Promise<{ url: string; calls: StandInCall[]; stop(): Promise<void> }> {
  const calls: StandInCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      calls.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      const prompt = String(
        body.prompt ?? (body.messages as { content: string }[] | undefined)?.[0]?.content,
      );
      res.setHeader('content-type', 'application/json');
      if (prompt === 'fail') {
        res.statusCode = 429;
        res.end(JSON.stringify({ error: { message: 'Rate limit reached for requests' } }));
      } else if (req.url === '/v1/chat/completions') {
        const content = body.response_format ? '{"answer": 42, "unit": "none"}' : `You said: ${prompt}`;
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      } else if (req.url === '/v1/images/generations') {
        res.end(JSON.stringify({ data: [{ b64_json: PNG.toString('base64') }] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let app: ListeningApp;
let org: Tenant;
let other: Tenant;
let Core: Sdk['integrations']['Core'];
const APP_ID = 'integrations-app';

/** Links name PUBLIC_URL; the test server listens on its own port. */
const fetchLocal = (url: string) => {
  const u = new URL(url);
  return fetch(`${app.url}${u.pathname}${u.search}`);
};
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
/** A Core call with parameters the SDK's types would not let through (missing ones, a wrong one). */
const loosely = (core: Sdk['integrations']['Core'], name: string, data: object) =>
  (core as unknown as Record<string, (d: object) => Promise<unknown>>)[name]!(data);

beforeAll(async () => {
  ({ app, org, other } = await startBase44Stage(APP_ID, 'Integrations'));
  Core = sdkClient(app, APP_ID, org.admin.token).integrations.Core;
});
afterAll(() => stopBase44Stage(app));

async function uploadPrivate(content: Buffer | string, name: string, type: string): Promise<string> {
  const { file_uri } = (await Core.UploadPrivateFile({ file: new File([content], name, { type }) })) as {
    file_uri: string;
  };
  return file_uri;
}

describe('files', () => {
  it('uploads a public file whose stable link serves it without a token', async () => {
    const { file_url } = (await Core.UploadFile({
      file: new File([PNG], 'dot.png', { type: 'image/png' }),
    })) as {
      file_url: string;
    };
    expect(file_url).toMatch(/\/files\/public\/[0-9a-f-]{36}$/);
    const res = await fetchLocal(file_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect((await bytes(res)).equals(PNG)).toBe(true);
  });

  it('uploads a private file, readable only through a signed URL that expires', async () => {
    const content = Buffer.from('name,amount\nAda,10\n');
    const fileUri = await uploadPrivate(content, 'private.csv', 'text/csv');
    expect(fileUri).toMatch(/^document:\/\/[0-9a-f-]{36}$/);
    const id = fileUri.slice('document://'.length);
    expect((await fetch(`${app.url}/files/public/${id}`)).status).toBe(404);

    const { signed_url } = (await Core.CreateFileSignedUrl({ file_uri: fileUri })) as { signed_url: string };
    const res = await fetchLocal(signed_url);
    expect(res.status).toBe(200);
    expect((await bytes(res)).equals(content)).toBe(true);
    const expires = Number(new URL(signed_url).searchParams.get('expires'));
    expect(expires * 1000 - Date.now()).toBeGreaterThan(290_000);
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(300_000);

    const short = (await Core.CreateFileSignedUrl({ file_uri: fileUri, expires_in: 1 })) as {
      signed_url: string;
    };
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await fetchLocal(short.signed_url)).status).toBeGreaterThanOrEqual(400);

    const tampered = new URL(signed_url);
    tampered.searchParams.set('expires', String(expires + 1000));
    expect((await fetchLocal(tampered.toString())).status).toBeGreaterThanOrEqual(400);
  });

  it('refuses to sign another organization’s file, and a reference that is not one of ours', async () => {
    const fileUri = await uploadPrivate('x', 'x.txt', 'text/plain');
    const stranger = sdkClient(app, 'any-app', other.admin.token).integrations.Core;
    expect((await sdkError(stranger.CreateFileSignedUrl({ file_uri: fileUri }))).status).toBe(404);
    const foreign = await sdkError(Core.CreateFileSignedUrl({ file_uri: 'https://example.com/a.png' }));
    expect(foreign).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await sdkError(Core.CreateFileSignedUrl({ file_uri: fileUri, expires_in: 0 }))).status).toBe(422);
  });

  it('applies the storage rules: content is sniffed, and a call without a file is refused', async () => {
    const html = await sdkError(
      Core.UploadFile({
        file: new File(['<html><script>x</script></html>'], 'a.png', { type: 'image/png' }),
      }),
    );
    expect(html).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await sdkError(loosely(Core, 'UploadFile', {}))).status).toBe(415);
  });
});

describe('files on S3', () => {
  it('uploads a private file to the bucket and reads it back through a presigned URL', async () => {
    useStandInCredentials();
    const s3 = await startS3();
    const s3App = await startListeningApp({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      AWS_REGION: 'us-east-1',
    });
    try {
      const core = sdkClient(s3App, APP_ID, org.admin.token).integrations.Core;
      const { file_uri } = (await core.UploadPrivateFile({
        file: new File([PNG], 'dot.png', { type: 'image/png' }),
      })) as { file_uri: string };
      const { signed_url } = (await core.CreateFileSignedUrl({ file_uri, expires_in: 120 })) as {
        signed_url: string;
      };
      expect(signed_url.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
      expect(new URL(signed_url).searchParams.get('X-Amz-Expires')).toBe('120');
      const res = await fetch(signed_url);
      expect(res.status).toBe(200);
      expect((await bytes(res)).equals(PNG)).toBe(true);
    } finally {
      await s3App.close();
      await s3.stop();
    }
  });
});

describe('SendEmail', () => {
  it('sends through the email service and records the message in Email', async () => {
    const to = `recipient.${Date.now()}@example.com`;
    const result = (await Core.SendEmail({
      to,
      subject: 'Your quote',
      body: '<p>Hello <b>Ada</b></p>',
      from_name: 'Sales Team',
    })) as { success: boolean; email_id: string; status: string };
    // Delivery runs on the mail queue after the call answers.
    expect(result).toMatchObject({ success: true, status: 'queued' });
    const row = await settledEmail(app, result.email_id);
    expect(row).toMatchObject({
      to: [to],
      subject: 'Your quote',
      from_name: 'Sales Team',
      status: 'sent',
      organization_id: org.organizationId,
    });
    expect(row.body_html).toContain('<b>Ada</b>');
    expect((await sdkError(loosely(Core, 'SendEmail', { to, subject: 'No body' }))).status).toBe(422);
  });
});

describe('ExtractDataFromUploadedFile', () => {
  const schema = {
    type: 'object',
    properties: {
      people: {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, amount: { type: 'number' }, active: { type: 'boolean' } },
          required: ['name'],
        },
      },
    },
  };
  const expected = {
    people: [
      { name: 'Ada', amount: 10.5, active: true },
      { name: 'Grace', amount: 7, active: false },
    ],
  };

  /** Stores a private file and expects its extraction against `schema` to give `expected`. */
  const expectPeopleFrom = async (content: Buffer | string, name: string, type: string) => {
    const fileUri = await uploadPrivate(content, name, type);
    expect(await Core.ExtractDataFromUploadedFile({ file_url: fileUri, json_schema: schema })).toEqual({
      status: 'success',
      details: null,
      output: expected,
    });
  };

  it('reads a CSV into objects matching json_schema', async () => {
    await expectPeopleFrom('Name,Amount,Active,Ignored\nAda,10.5,yes,x\nGrace,7,no,y\n', 'p.csv', 'text/csv');
  });

  it('reads a public JSON file by its file_url, with an array schema', async () => {
    const json = JSON.stringify([
      { name: 'Ada', amount: '10.5', active: true },
      { name: 'Grace', amount: 7, active: 'false' },
    ]);
    const { file_url } = (await Core.UploadFile({
      file: new File([json], 'p.json', { type: 'application/json' }),
    })) as { file_url: string };
    const out = await Core.ExtractDataFromUploadedFile({ file_url, json_schema: schema.properties.people });
    expect(out).toEqual({ status: 'success', details: null, output: expected.people });
  });

  it('reads the first worksheet of an XLSX file', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    sheet.addRow(['name', 'amount', 'active']);
    sheet.addRow(['Ada', 10.5, true]);
    sheet.addRow(['Grace', { formula: '3+4', result: 7 }, false]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    await expectPeopleFrom(
      xlsx,
      'people.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('says why when a file cannot be read or does not match the schema', async () => {
    const bad = await uploadPrivate('name,amount\nAda,lots\n,3\n', 'bad.csv', 'text/csv');
    const mismatch = (await Core.ExtractDataFromUploadedFile({ file_url: bad, json_schema: schema })) as {
      status: string;
      details: string;
    };
    expect(mismatch).toMatchObject({ status: 'error', output: null });
    expect(mismatch.details).toMatch(/row 1: "amount" is not a number; row 2: "name" is required/);

    const pdf = await uploadPrivate(PDF, 'scan.pdf', 'application/pdf');
    const noTextract = (await loosely(Core, 'ExtractDataFromUploadedFile', { file_url: pdf })) as {
      details: string;
    };
    expect(noTextract).toMatchObject({ status: 'error' });
    expect(noTextract.details).toMatch(/TEXTRACT_ENABLED/);

    const elsewhere = (await loosely(Core, 'ExtractDataFromUploadedFile', {
      file_url: 'http://169.254.169.254/latest/meta-data',
    })) as { details: string };
    expect(elsewhere).toMatchObject({ status: 'error' });
    expect(elsewhere.details).toMatch(/Only files uploaded to this server/);

    const image = (await Core.UploadFile({ file: new File([PNG], 'dot.png', { type: 'image/png' }) })) as {
      file_url: string;
    };
    expect(await loosely(Core, 'ExtractDataFromUploadedFile', { file_url: image.file_url })).toMatchObject({
      status: 'error',
      details: expect.stringMatching(/image\/png cannot be read/),
    });
  });
});

describe('language and image models', () => {
  it('answers 501 in Base44’s shape when no model is configured', async () => {
    for (const call of [Core.InvokeLLM({ prompt: 'Hi' }), Core.GenerateImage({ prompt: 'A cat' })]) {
      const err = await sdkError(call);
      expect(err).toMatchObject({ status: 501, code: 'NOT_CONFIGURED' });
      expect(err.message).toMatch(/LLM_BASE_URL/);
    }
  });

  it('calls an OpenAI-compatible endpoint for text, JSON and images', async () => {
    const models = await startModelStandIn();
    const llmApp = await startListeningApp({
      LLM_BASE_URL: models.url,
      LLM_API_KEY: 'sk-test',
      LLM_MODEL: 'chat-model',
      IMAGE_MODEL: 'image-model',
    });
    try {
      const llm = sdkClient(llmApp, APP_ID, org.admin.token).integrations.Core;
      expect(await llm.InvokeLLM({ prompt: 'Hello' })).toBe('You said: Hello');
      const answerSchema = { type: 'object', properties: { answer: { type: 'number' } } };
      expect(await llm.InvokeLLM({ prompt: 'Life?', response_json_schema: answerSchema })).toEqual({
        answer: 42,
        unit: 'none',
      });
      expect(models.calls[1]).toMatchObject({
        path: '/v1/chat/completions',
        authorization: 'Bearer sk-test',
        body: {
          model: 'chat-model',
          response_format: { type: 'json_schema', json_schema: { schema: answerSchema } },
        },
      });

      const { url } = (await llm.GenerateImage({ prompt: 'A dot' })) as { url: string };
      expect(models.calls[2]).toMatchObject({
        path: '/v1/images/generations',
        body: { model: 'image-model' },
      });
      const image = await fetch(`${llmApp.url}${new URL(url).pathname}`);
      expect((await bytes(image)).equals(PNG)).toBe(true);

      const upstream = await sdkError(llm.InvokeLLM({ prompt: 'fail' }));
      expect(upstream).toMatchObject({ status: 502, code: 'LLM_UPSTREAM_ERROR' });
      expect(upstream.message).toMatch(/429: Rate limit reached/);
      expect((await sdkError(llm.InvokeLLM({ prompt: 'x', file_urls: ['a'] }))).status).toBe(422);
    } finally {
      await llmApp.close();
      await models.stop();
    }
  });

  it('answers 404 for an integration it does not have', async () => {
    const err = await sdkError(loosely(Core, 'TranscribeAudio', { file_url: 'x' }));
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/UploadFile/);
  });
});
