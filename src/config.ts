import path from 'node:path';
import Joi from 'joi';
import { ROLES, type Role } from './context';
import { DEFAULT_ALLOWED_TYPES } from './services/files/sniff';
import type { S3Options } from './services/storage/s3-storage';

/**
 * The only module that reads the environment. Everything else receives a typed `Config`.
 * Every variable read here is documented in `.env.example` (a test keeps the two in step).
 */
export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  trustProxy: number;
  database: {
    /** Unset: the embedded PostgreSQL (PGlite) under `dataDir` is used. */
    url: string | undefined;
    ssl: 'off' | 'verify' | 'no-verify';
    poolMax: number;
    statementTimeoutMs: number;
    /** Keep the statements requests run prepared on each connection (not behind a transaction pooler). */
    preparedStatements: boolean;
    /** A list's `total` counts at most this many matches unless exactly asked; 0 always counts them all. */
    listCountLimit: number;
  };
  dataDir: string;
  migrateOnStart: boolean;
  seedDemo: boolean;
  bootstrap: { adminEmail: string; adminPassword: string | undefined; organizationName: string };
  auth: {
    jwtSecret: string | undefined;
    jwtIssuer: string;
    jwtAudience: string;
    accessTokenTtlSeconds: number;
    bcryptRounds: number;
    /** How long a caller's user row may be reused while changes to users are heard; 0 reads it every time. */
    callerCacheSeconds: number;
    refreshTokenTtlDays: number;
    /** Anyone may create an organization with POST /auth/register. */
    allowSignup: boolean;
    /** Links sent by email; `{token}` stands for the one-time token. */
    links: { passwordReset: string; invite: string; login: string };
  };
  rateLimit: {
    enabled: boolean;
    /** Window of the per-IP limits: anonymous requests and the sign-in routes. */
    windowMs: number;
    anonymousMax: number;
    /** Window of the per-user and per-API-key limit. */
    userWindowMs: number;
    userMax: number;
    /** Attempts per window at each sign-in route, per client IP (and per account where mail is sent). */
    authMax: number;
    /** Failed attempts per window at one account, from every address together, where credentials are guessed. */
    authAccountMax: number;
    /** Exports and generated reports per window, per user or API key: each can read a whole table. */
    exportMax: number;
  };
  http: { corsOrigins: string[] | '*'; jsonBodyLimit: string; shutdownTimeoutMs: number };
  storage: {
    driver: 'local' | 's3';
    /** Local driver: where files are kept. */
    dir: string;
    s3: S3Options;
    /** Prefix of every object key, so environments can share a bucket. */
    prefix: string;
    maxUploadBytes: number;
    allowedTypes: string[];
    signedUrlTtlSeconds: number;
  };
  mail: {
    driver: 'outbox' | 'ses';
    from: { address: string; name: string };
    replyTo?: string;
    ses: { region: string; endpoint?: string; configurationSet?: string };
  };
  log: { level: string; format: 'json' | 'pretty'; toFiles: boolean; dir: string };
  base44: {
    /** The app id the first organization answers to on the Base44 surface. */
    appId: string | undefined;
    /** Single-organization deployments: an unknown app id means the caller's own organization. */
    anyAppId: boolean;
    /** Origins (besides PUBLIC_URL's) the login page and logout may send a browser back to, with its token. */
    appBaseUrls: string[];
    /** Our role for Base44's `user`: self-registration (off when unset) and invitations as `user`. */
    signupRole: Role | undefined;
  };
  integrations: {
    /** PDFs in ExtractDataFromUploadedFile go to AWS Textract only when this is on. */
    textractEnabled: boolean;
    /** An OpenAI-compatible endpoint for InvokeLLM and GenerateImage; unset, both answer 501. */
    llm:
      | { baseUrl: string; apiKey: string | undefined; model: string; imageModel: string; timeoutMs: number }
      | undefined;
  };
  realtime: {
    /** How often a subscriber's access (account, session, role, team) is read again, in seconds. */
    recheckSeconds: number;
  };
  /** Background imports (POST /api/v1/<entity>/import). */
  imports: {
    maxBytes: number;
    /** A running job's row is updated with its progress after at least this many rows. */
    progressEveryRows: number;
    /** A running job's row is touched at least this often (seconds), as a sign its process is alive. */
    heartbeatSeconds: number;
    /** A queued or running job untouched this long (seconds) was left by a process that died: it is failed. */
    staleSeconds: number;
  };
  /** Lead intake screening: a lead scoring `spamThreshold` or more is held as spam. */
  intake: {
    spamThreshold: number;
    duplicateWindowHours: number;
    burstLimit: number;
    burstWindowSeconds: number;
  };
  redis: {
    /** Unset: one process — in-memory rate-limit counts, in-process change fan-out and job queue. */
    url: string | undefined;
    /** Prefix of every key and channel, so several deployments (or test runs) can share a Redis. */
    keyPrefix: string;
  };
  queue: {
    /** Run the background-job worker inside the API process (else `npm run worker` runs it). */
    workerInProcess: boolean;
    /** Jobs one worker runs at the same time. */
    concurrency: number;
    /** How long a stopping instance keeps running the jobs of its in-process queue (SHUTDOWN_TIMEOUT_MS). */
    drainMs: number;
  };
  mailRetry: {
    /** Delivery attempts of one email before it is recorded as failed. */
    maxAttempts: number;
    /** Wait before the first retry; each further retry waits twice as long. */
    backoffMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const bool = Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off', '');
const HTTP_URL = /^https?:\/\/[^\s]+$/;
const linkTemplate = Joi.string()
  .pattern(HTTP_URL, 'http(s) URL')
  .pattern(/\{token\}/, 'URL with a {token} placeholder');

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  HOST: Joi.string().default('0.0.0.0'),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  TRUST_PROXY: Joi.number().integer().min(0).max(10).default(0),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }),
  DATABASE_SSL: Joi.string().valid('off', 'verify', 'no-verify').default('off'),
  DATABASE_POOL_MAX: Joi.number().integer().min(1).max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(0).default(15000),
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  LIST_COUNT_LIMIT: Joi.number().integer().min(0).default(1000),
  DATA_DIR: Joi.string().default('./data'),
  MIGRATE_ON_START: bool.default(true),
  SEED_DEMO: bool,
  ADMIN_EMAIL: Joi.string().email({ tlds: false }).lowercase().default('admin@example.com'),
  ADMIN_PASSWORD: Joi.string().min(8).max(128),
  ORGANIZATION_NAME: Joi.string().max(200).default('Nexa Demo Company'),
  JWT_SECRET: Joi.string()
    .min(32)
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required().messages({ 'any.required': '"JWT_SECRET" is required in production' }),
    }),
  JWT_ISSUER: Joi.string().default('nexa-crm'),
  JWT_AUDIENCE: Joi.string().default('nexa-crm-api'),
  ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(60).max(86400).default(3600),
  BCRYPT_ROUNDS: Joi.number()
    .integer()
    .max(15)
    .when('NODE_ENV', { is: 'production', then: Joi.number().min(10), otherwise: Joi.number().min(4) })
    .default(12),
  CALLER_CACHE_SECONDS: Joi.number().integer().min(0).max(3600).default(60),
  REFRESH_TOKEN_TTL_DAYS: Joi.number().integer().min(1).max(365).default(30),
  ALLOW_SIGNUP: bool,
  PASSWORD_RESET_URL: linkTemplate,
  INVITE_URL: linkTemplate,
  LOGIN_URL: Joi.string().pattern(HTTP_URL, 'http(s) URL'),
  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_WINDOW_MS: Joi.number()
    .integer()
    .min(1000)
    .max(24 * 3600 * 1000)
    .default(15 * 60 * 1000),
  RATE_LIMIT_ANON_MAX: Joi.number().integer().min(1).max(10_000_000).default(100),
  RATE_LIMIT_USER_WINDOW_MS: Joi.number()
    .integer()
    .min(1000)
    .max(24 * 3600 * 1000)
    .default(60 * 1000),
  RATE_LIMIT_USER_MAX: Joi.number().integer().min(1).max(10_000_000).default(1200),
  AUTH_RATE_LIMIT_MAX: Joi.number().integer().min(1).max(10_000_000).default(10),
  AUTH_ACCOUNT_RATE_LIMIT_MAX: Joi.number().integer().min(1).max(10_000_000).default(100),
  EXPORT_RATE_LIMIT_MAX: Joi.number().integer().min(1).max(10_000_000).default(30),
  CORS_ORIGINS: Joi.string().allow(''),
  JSON_BODY_LIMIT: Joi.string()
    .pattern(/^\d+(b|kb|mb)$/i)
    .default('1mb'),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).default(10000),
  LOG_LEVEL: Joi.string().valid('error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'),
  LOG_FORMAT: Joi.string().valid('json', 'pretty'),
  LOG_TO_FILES: bool,
  LOG_DIR: Joi.string().default('./logs'),
  BASE44_APP_ID: Joi.string().pattern(/^[A-Za-z0-9_-]{1,100}$/),
  BASE44_ANY_APP_ID: bool.default(true),
  APP_BASE_URLS: Joi.string().allow(''),
  BASE44_SIGNUP_ROLE: Joi.string().valid(...ROLES),
  TEXTRACT_ENABLED: bool.default(false),
  LLM_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  LLM_API_KEY: Joi.string(),
  LLM_MODEL: Joi.string().default('gpt-4o-mini'),
  IMAGE_MODEL: Joi.string().default('gpt-image-1'),
  LLM_TIMEOUT_MS: Joi.number().integer().min(1000).max(600_000).default(60_000),
  REALTIME_RECHECK_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  STORAGE_DRIVER: Joi.string().valid('local', 's3').default('local'),
  UPLOADS_DIR: Joi.string(),
  S3_BUCKET: Joi.string().when('STORAGE_DRIVER', {
    is: 's3',
    then: Joi.required().messages({ 'any.required': '"S3_BUCKET" is required when STORAGE_DRIVER=s3' }),
  }),
  AWS_REGION: Joi.string().default('us-east-1'),
  S3_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }),
  S3_PUBLIC_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }),
  S3_FORCE_PATH_STYLE: bool,
  S3_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9][A-Za-z0-9_-]*(\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/)
    .message('"S3_PREFIX" may contain letters, digits, - and _ separated by /'),
  UPLOAD_MAX_BYTES: Joi.number()
    .integer()
    .min(1)
    .max(5 * 1024 ** 3)
    .default(25 * 1024 * 1024),
  UPLOAD_ALLOWED_TYPES: Joi.string(),
  SIGNED_URL_TTL_SECONDS: Joi.number().integer().min(10).max(604800).default(300),
  MAIL_DRIVER: Joi.string().valid('outbox', 'ses').default('outbox'),
  SES_FROM: Joi.string().default('Nexa CRM <no-reply@example.com>'),
  SES_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }),
  SES_CONFIGURATION_SET: Joi.string(),
  MAIL_REPLY_TO: Joi.string().email({ tlds: false }),
  IMPORT_MAX_BYTES: Joi.number()
    .integer()
    .min(1)
    .max(5 * 1024 ** 3)
    .default(200 * 1024 * 1024),
  IMPORT_PROGRESS_EVERY_ROWS: Joi.number().integer().min(1).max(1_000_000).default(2000),
  IMPORT_HEARTBEAT_SECONDS: Joi.number().integer().min(1).max(3600).default(10),
  IMPORT_STALE_SECONDS: Joi.number()
    .integer()
    .min(Joi.ref('IMPORT_HEARTBEAT_SECONDS', { adjust: (v: number) => v * 3 }))
    .max(86400)
    .messages({ 'number.min': '"IMPORT_STALE_SECONDS" must be at least 3 × IMPORT_HEARTBEAT_SECONDS' }),
  INTAKE_SPAM_THRESHOLD: Joi.number().integer().min(1).max(1000).default(50),
  INTAKE_DUPLICATE_WINDOW_HOURS: Joi.number().integer().min(0).max(8760).default(24),
  INTAKE_BURST_LIMIT: Joi.number().integer().min(1).max(100_000).default(10),
  INTAKE_BURST_WINDOW_SECONDS: Joi.number().integer().min(1).max(86400).default(60),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),
  REDIS_KEY_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9:_-]{1,100}$/)
    .default('nexa'),
  QUEUE_WORKER_IN_PROCESS: bool.default(true).when('REDIS_URL', {
    not: Joi.exist(),
    then: Joi.valid(true).messages({
      'any.only':
        '"QUEUE_WORKER_IN_PROCESS" may be false only with REDIS_URL (a separate worker needs Redis)',
    }),
  }),
  QUEUE_CONCURRENCY: Joi.number().integer().min(1).max(100).default(5),
  MAIL_MAX_ATTEMPTS: Joi.number().integer().min(1).max(20).default(5),
  MAIL_RETRY_BACKOFF_MS: Joi.number()
    .integer()
    .min(0)
    .max(3600 * 1000)
    .default(5000),
}).unknown(true);

/** `Name <address>` or a bare address. */
function parseSender(raw: string): { address: string; name: string } | undefined {
  const m = /^\s*(?:"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))\s*$/.exec(raw);
  if (!m) return undefined;
  return { address: (m[2] ?? m[3])!.toLowerCase(), name: (m[1] ?? '').trim() };
}

/** Every variable this module reads; `.env.example` documents each one (a test checks). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.describe().keys as object);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value (VAR= in an env file) means "use the default", as if the variable were absent.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const { value, error } = schema.validate(present, { abortEarly: false, convert: true });
  if (error) throw new ConfigError(error.details.map((d) => d.message));
  const v = value as Record<string, unknown>;
  const nodeEnv = v.NODE_ENV as Config['env'];
  const production = nodeEnv === 'production';
  const databaseUrl = v.DATABASE_URL as string | undefined;
  const port = v.PORT as number;
  const corsOrigins = parseOrigins(v.CORS_ORIGINS as string | undefined, production);
  const dataDir = path.resolve(v.DATA_DIR as string);
  const sender = parseSender(v.SES_FROM as string);
  if (!sender) throw new ConfigError(['"SES_FROM" must be an address or "Name <address>"']);
  const s3Endpoint = v.S3_ENDPOINT as string | undefined;
  const publicUrl = ((v.PUBLIC_URL as string | undefined) ?? `http://localhost:${port}`).replace(/\/+$/, '');

  return {
    env: nodeEnv,
    host: v.HOST as string,
    port,
    publicUrl,
    trustProxy: v.TRUST_PROXY as number,
    database: {
      url: databaseUrl,
      ssl: v.DATABASE_SSL as Config['database']['ssl'],
      poolMax: v.DATABASE_POOL_MAX as number,
      statementTimeoutMs: v.DATABASE_STATEMENT_TIMEOUT_MS as number,
      preparedStatements: v.DATABASE_PREPARED_STATEMENTS as boolean,
      listCountLimit: v.LIST_COUNT_LIMIT as number,
    },
    dataDir,
    migrateOnStart: v.MIGRATE_ON_START as boolean,
    seedDemo: (v.SEED_DEMO as boolean | undefined) ?? (!production || databaseUrl === undefined),
    bootstrap: {
      adminEmail: v.ADMIN_EMAIL as string,
      adminPassword: v.ADMIN_PASSWORD as string | undefined,
      organizationName: v.ORGANIZATION_NAME as string,
    },
    auth: {
      jwtSecret: v.JWT_SECRET as string | undefined,
      jwtIssuer: v.JWT_ISSUER as string,
      jwtAudience: v.JWT_AUDIENCE as string,
      accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS as number,
      bcryptRounds: v.BCRYPT_ROUNDS as number,
      callerCacheSeconds: v.CALLER_CACHE_SECONDS as number,
      refreshTokenTtlDays: v.REFRESH_TOKEN_TTL_DAYS as number,
      allowSignup: (v.ALLOW_SIGNUP as boolean | undefined) ?? !production,
      links: {
        passwordReset:
          (v.PASSWORD_RESET_URL as string | undefined) ?? `${publicUrl}/admin/reset-password?token={token}`,
        invite: (v.INVITE_URL as string | undefined) ?? `${publicUrl}/admin/accept-invite?token={token}`,
        login: (v.LOGIN_URL as string | undefined) ?? `${publicUrl}/admin/login`,
      },
    },
    rateLimit: {
      enabled: v.RATE_LIMIT_ENABLED as boolean,
      windowMs: v.RATE_LIMIT_WINDOW_MS as number,
      anonymousMax: v.RATE_LIMIT_ANON_MAX as number,
      userWindowMs: v.RATE_LIMIT_USER_WINDOW_MS as number,
      userMax: v.RATE_LIMIT_USER_MAX as number,
      authMax: v.AUTH_RATE_LIMIT_MAX as number,
      authAccountMax: v.AUTH_ACCOUNT_RATE_LIMIT_MAX as number,
      exportMax: v.EXPORT_RATE_LIMIT_MAX as number,
    },
    http: {
      corsOrigins,
      jsonBodyLimit: v.JSON_BODY_LIMIT as string,
      shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS as number,
    },
    storage: {
      driver: v.STORAGE_DRIVER as 'local' | 's3',
      dir: path.resolve((v.UPLOADS_DIR as string | undefined) ?? path.join(dataDir, 'uploads')),
      s3: {
        bucket: (v.S3_BUCKET as string | undefined) ?? '',
        region: v.AWS_REGION as string,
        endpoint: s3Endpoint,
        publicEndpoint: v.S3_PUBLIC_ENDPOINT as string | undefined,
        forcePathStyle: (v.S3_FORCE_PATH_STYLE as boolean | undefined) ?? s3Endpoint !== undefined,
      },
      prefix: (v.S3_PREFIX as string | undefined) ?? '',
      maxUploadBytes: v.UPLOAD_MAX_BYTES as number,
      allowedTypes:
        (v.UPLOAD_ALLOWED_TYPES as string | undefined)
          ?.split(',')
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean) ?? DEFAULT_ALLOWED_TYPES,
      signedUrlTtlSeconds: v.SIGNED_URL_TTL_SECONDS as number,
    },
    mail: {
      driver: v.MAIL_DRIVER as 'outbox' | 'ses',
      from: { address: sender.address, name: sender.name || 'Nexa CRM' },
      replyTo: v.MAIL_REPLY_TO as string | undefined,
      ses: {
        region: v.AWS_REGION as string,
        endpoint: v.SES_ENDPOINT as string | undefined,
        configurationSet: v.SES_CONFIGURATION_SET as string | undefined,
      },
    },
    base44: {
      appId: v.BASE44_APP_ID as string | undefined,
      anyAppId: v.BASE44_ANY_APP_ID as boolean,
      appBaseUrls: origins(v.APP_BASE_URLS as string | undefined),
      signupRole: v.BASE44_SIGNUP_ROLE as Role | undefined,
    },
    integrations: {
      textractEnabled: v.TEXTRACT_ENABLED as boolean,
      llm: v.LLM_BASE_URL
        ? {
            baseUrl: (v.LLM_BASE_URL as string).replace(/\/+$/, ''),
            apiKey: v.LLM_API_KEY as string | undefined,
            model: v.LLM_MODEL as string,
            imageModel: v.IMAGE_MODEL as string,
            timeoutMs: v.LLM_TIMEOUT_MS as number,
          }
        : undefined,
    },
    realtime: { recheckSeconds: v.REALTIME_RECHECK_SECONDS as number },
    imports: {
      maxBytes: v.IMPORT_MAX_BYTES as number,
      progressEveryRows: v.IMPORT_PROGRESS_EVERY_ROWS as number,
      heartbeatSeconds: v.IMPORT_HEARTBEAT_SECONDS as number,
      // Unset: two minutes, or three heartbeats when those are slower.
      staleSeconds:
        (v.IMPORT_STALE_SECONDS as number | undefined) ??
        Math.max(120, 3 * (v.IMPORT_HEARTBEAT_SECONDS as number)),
    },
    intake: {
      spamThreshold: v.INTAKE_SPAM_THRESHOLD as number,
      duplicateWindowHours: v.INTAKE_DUPLICATE_WINDOW_HOURS as number,
      burstLimit: v.INTAKE_BURST_LIMIT as number,
      burstWindowSeconds: v.INTAKE_BURST_WINDOW_SECONDS as number,
    },
    redis: { url: v.REDIS_URL as string | undefined, keyPrefix: v.REDIS_KEY_PREFIX as string },
    queue: {
      workerInProcess: v.QUEUE_WORKER_IN_PROCESS as boolean,
      concurrency: v.QUEUE_CONCURRENCY as number,
      drainMs: v.SHUTDOWN_TIMEOUT_MS as number,
    },
    mailRetry: {
      maxAttempts: v.MAIL_MAX_ATTEMPTS as number,
      backoffMs: v.MAIL_RETRY_BACKOFF_MS as number,
    },
    log: {
      level: (v.LOG_LEVEL as string | undefined) ?? (nodeEnv === 'test' ? 'warn' : 'info'),
      format: (v.LOG_FORMAT as 'json' | 'pretty' | undefined) ?? (production ? 'json' : 'pretty'),
      toFiles: (v.LOG_TO_FILES as boolean | undefined) ?? nodeEnv !== 'test',
      dir: path.resolve(v.LOG_DIR as string),
    },
  };
}

/** Development allows any origin (tokens travel in headers, not cookies); production only what is listed. */
function parseOrigins(raw: string | undefined, production: boolean): string[] | '*' {
  if (raw === undefined) return production ? [] : '*';
  const list = origins(raw);
  return list.includes('*') ? '*' : list;
}

const origins = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
