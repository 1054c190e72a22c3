import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('runs with nothing set: development, port 3000, embedded database, demo data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ env: 'development', port: 3000, migrateOnStart: true, seedDemo: true });
    expect(c.database.url).toBeUndefined();
    expect(c.http.corsOrigins).toBe('*');
    expect(c.auth.bcryptRounds).toBe(12);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', PUBLIC_URL: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', PORT: 'eighty', DATABASE_URL: 'mysql://x', BCRYPT_ROUNDS: '4' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/JWT_SECRET" is required in production/);
    expect(problems).toMatch(/BCRYPT_ROUNDS/);
  });

  it('production defaults: no demo data on a real database, no CORS origins, JSON logs', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://u@h/db',
    });
    expect(c).toMatchObject({ seedDemo: false, http: { corsOrigins: [] }, log: { format: 'json' } });
  });

  it('identity defaults: sign-up outside production, links under PUBLIC_URL, rate limits on', () => {
    const c = loadConfig({ PUBLIC_URL: 'https://crm.example.com/' });
    expect(c.auth).toMatchObject({
      allowSignup: true,
      refreshTokenTtlDays: 30,
      links: {
        passwordReset: 'https://crm.example.com/admin/reset-password?token={token}',
        invite: 'https://crm.example.com/admin/accept-invite?token={token}',
        login: 'https://crm.example.com/admin/login',
      },
    });
    expect(c.rateLimit).toEqual({
      enabled: true,
      windowMs: 900_000,
      anonymousMax: 100,
      userWindowMs: 60_000,
      userMax: 1200,
      authMax: 10,
      authAccountMax: 100,
      exportMax: 30,
    });
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(production.auth.allowSignup).toBe(false);
  });

  it('needs a {token} placeholder in the emailed link templates', () => {
    expect(() => loadConfig({ PASSWORD_RESET_URL: 'https://crm.example.com/reset' })).toThrow(
      /PASSWORD_RESET_URL/,
    );
    expect(() => loadConfig({ INVITE_URL: 'ftp://x/{token}' })).toThrow(/INVITE_URL/);
    expect(loadConfig({ INVITE_URL: 'https://app.example.com/join/{token}' }).auth.links.invite).toBe(
      'https://app.example.com/join/{token}',
    );
  });

  it('reads the Base44 and integration settings', () => {
    const c = loadConfig({
      APP_BASE_URLS: 'https://app.example.com/, https://admin.example.com',
      BASE44_SIGNUP_ROLE: 'support',
      LLM_BASE_URL: 'http://localhost:11434/v1/',
    });
    expect(c.base44).toMatchObject({
      appBaseUrls: ['https://app.example.com', 'https://admin.example.com'],
      signupRole: 'support',
    });
    expect(c.integrations).toEqual({
      textractEnabled: false,
      llm: {
        baseUrl: 'http://localhost:11434/v1',
        apiKey: undefined,
        model: 'gpt-4o-mini',
        imageModel: 'gpt-image-1',
        timeoutMs: 60_000,
      },
    });
    expect(loadConfig({}).integrations.llm).toBeUndefined();
    expect(loadConfig({}).base44.signupRole).toBeUndefined();
    expect(() => loadConfig({ BASE44_SIGNUP_ROLE: 'user' })).toThrow(/BASE44_SIGNUP_ROLE/);
  });

  it('runs in one process without REDIS_URL, and needs Redis for a separate worker', () => {
    expect(loadConfig({})).toMatchObject({
      redis: { url: undefined, keyPrefix: 'nexa' },
      queue: { workerInProcess: true, concurrency: 5 },
      mailRetry: { maxAttempts: 5, backoffMs: 5000 },
    });
    expect(() => loadConfig({ QUEUE_WORKER_IN_PROCESS: 'false' })).toThrow(/QUEUE_WORKER_IN_PROCESS/);
    const shared = loadConfig({
      REDIS_URL: 'redis://cache:6379/2',
      REDIS_KEY_PREFIX: 'staging',
      QUEUE_WORKER_IN_PROCESS: 'false',
    });
    expect(shared.redis).toEqual({ url: 'redis://cache:6379/2', keyPrefix: 'staging' });
    expect(shared.queue.workerInProcess).toBe(false);
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL/);
  });

  it('keeps an abandoned import’s staleness limit well above its heartbeat', () => {
    expect(loadConfig({}).imports).toMatchObject({
      progressEveryRows: 2000,
      heartbeatSeconds: 10,
      staleSeconds: 120,
    });
    expect(loadConfig({ IMPORT_HEARTBEAT_SECONDS: '60' }).imports.staleSeconds).toBe(180);
    expect(() => loadConfig({ IMPORT_HEARTBEAT_SECONDS: '60', IMPORT_STALE_SECONDS: '100' })).toThrow(
      /IMPORT_STALE_SECONDS" must be at least 3 × IMPORT_HEARTBEAT_SECONDS/,
    );
  });

  it('parses CORS_ORIGINS', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example.com/, https://b.example.com' }).http.corsOrigins,
    ).toEqual(['https://a.example.com', 'https://b.example.com']);
  });
});

describe('.env.example', () => {
  const example = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
  // A variable is documented by the comment lines above it; consecutive variables share one comment.
  const documented = new Map<string, string>();
  let comment = '';
  let afterVariable = false;
  for (const line of example.split('\n')) {
    const variable = /^([A-Z][A-Z0-9_]+)=/.exec(line);
    if (variable) documented.set(variable[1]!, comment);
    else if (line.trim() === '') comment = '';
    else if (line.startsWith('# ') && !line.startsWith('# ---'))
      comment = afterVariable ? line : comment + line;
    afterVariable = Boolean(variable);
  }

  it('documents, with a comment, every variable the config module reads', () => {
    for (const name of CONFIG_VARIABLES) {
      expect({ name, documented: documented.has(name) }).toEqual({ name, documented: true });
      expect({ name, comment: documented.get(name)!.length > 0 }).toEqual({ name, comment: true });
    }
  });

  it('names no variable the config module does not read', () => {
    expect([...documented.keys()].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });
});
