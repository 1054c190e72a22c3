import express from 'express';
import supertest from 'supertest';
import { UniqueConstraintError } from 'sequelize';
import { errorHandler } from '../../src/http/error-handler';
import { requestId } from '../../src/http/request-context';
import { createLogger } from '../../src/logger';

const logged: string[] = [];
const logger = createLogger({ level: 'error', format: 'json', toFiles: false, dir: '' });
for (const transport of logger.transports) transport.silent = true;
logger.on('data', (info: { message: string }) => logged.push(info.message));

const app = express();
app.use(requestId);
app.get('/boom', () => {
  throw new Error('relation "secret_table" does not exist at SELECT * FROM secret_table');
});
app.get('/unique', () => {
  throw new UniqueConstraintError({ fields: { organization_id: 'x', sku: 'A-1' } } as never);
});
app.use(errorHandler(logger));

it('answers an unexpected failure with a generic 500 that carries the request id, and logs the detail', async () => {
  const res = await supertest(app).get('/boom').set('X-Request-Id', 'req-12345678').expect(500);
  expect(res.body).toEqual({
    error: {
      code: 'INTERNAL_ERROR',
      message: expect.stringMatching(/request id/),
      request_id: 'req-12345678',
    },
  });
  expect(JSON.stringify(res.body)).not.toMatch(/secret_table|SELECT|at /);
  expect(res.headers['x-request-id']).toBe('req-12345678');
  expect(logged.some((line) => line.includes('secret_table') && line.includes('error-handler.test'))).toBe(
    true,
  );
});

it('turns a unique violation into a 409 naming the field, not the organization', async () => {
  const res = await supertest(app).get('/unique').expect(409);
  expect(res.body.error).toEqual({
    code: 'CONFLICT',
    message: 'A record with this sku already exists',
    details: [{ field: 'sku', message: 'already in use' }],
  });
});

it('replaces an incoming request id that does not look like one', async () => {
  const res = await supertest(app).get('/boom').set('X-Request-Id', '<script>').expect(500);
  expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});
