import crypto from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { AccessTokens } from './auth/access-tokens';
import { AccountLinks } from './auth/account-links';
import { AppAccounts } from './auth/app-accounts';
import { ApiKeys } from './auth/api-keys';
import { AuthService } from './auth/auth-service';
import { CallerCache } from './auth/caller-cache';
import { Directory, type UserRow } from './auth/directory';
import { ExpiredTokens } from './auth/expired-tokens';
import { hearUserChanges } from './auth/user-changes';
import { resolveJwtSecret } from './auth/jwt-secret';
import { OneTimeTokens } from './auth/one-time-tokens';
import { Passwords } from './auth/passwords';
import { Sessions } from './auth/sessions';
import type { Config } from './config';
import { AuditTrail } from './crud/audit-trail';
import { CrudServices } from './crud/services';
import { Cursors } from './crud/ordering';
import { EntityRegistry } from './crud/registry';
import { Migrator } from './db/migrator';
import { Models } from './db/models';
import { InFlightRequests } from './http/in-flight';
import { createRateLimits, memoryStores, redisStores, type RateLimits } from './http/rate-limits';
import { allTables } from './entities';
import { ChangeEvents } from './events';
import type { Logger } from './logger';
import { RealtimeBroker } from './realtime/broker';
import type { ChangeFeed } from './realtime/change-feed';
import { RedisChangeFeed } from './realtime/redis-change-feed';
import { RedisClients } from './redis/clients';
import { MailDelivery, type MailJob } from './services/mail/mail-delivery';
import { BackgroundWork } from './services/background-work';
import { createJobQueue } from './services/queue';
import type { JobQueue } from './services/queue/job-queue';
import { Catalog } from './schema/catalog';
import { DocumentService } from './services/documents/document-service';
import { HistoryService } from './services/history/history-service';
import { CoreIntegrations } from './services/integrations/core-integrations';
import { DataExtractor } from './services/integrations/data-extractor';
import { LlmClient } from './services/integrations/llm-client';
import { TextractTables } from './services/integrations/textract-tables';
import { Importer } from './services/import/importer';
import { ImportJobs } from './services/import/import-jobs';
import { LeadService } from './services/leads/lead-service';
import { IntakeForms } from './services/intake/intake-forms';
import { LeadIntake } from './services/intake/lead-intake';
import { SpamLeads } from './services/intake/spam-leads';
import { EntityMetaService } from './services/meta/entity-meta';
import { EmailService } from './services/mail/email-service';
import { createMailer } from './services/mail';
import type { Mailer } from './services/mail/mailer';
import { createStorage } from './services/storage';
import type { Storage } from './services/storage/storage';
import type { Declaration } from './schema/entity';
import { AnalyticsService } from './services/analytics/analytics-service';
import { RecordExport } from './services/export/record-export';
import { ReportGenerator } from './services/export/report-generator';

/** A key for one purpose, derived from the main secret so no two purposes share a key. */
export const derive = (secret: string, purpose: string) =>
  crypto.createHmac('sha256', secret).update(purpose).digest('base64url');

/** Everything the app is made of, wired once. Tests build one against their own database. */
export interface Container {
  config: Config;
  logger: Logger;
  sequelize: Sequelize;
  catalog: Catalog;
  models: Models;
  registry: EntityRegistry;
  events: ChangeEvents;
  passwords: Passwords;
  tokens: AccessTokens;
  directory: Directory;
  apiKeys: ApiKeys;
  crud: CrudServices;
  auth: AuthService;
  sessions: Sessions;
  /** Deletes refresh and one-time tokens nobody can use any more; the API process starts it. */
  expiredTokens: ExpiredTokens;
  /** Password-reset and invitation links. */
  accountLinks: AccountLinks;
  rateLimits: RateLimits;
  migrator: Migrator;
  storage: Storage;
  mailer: Mailer;
  emails: EmailService;
  documents: DocumentService;
  leads: LeadService;
  /** Routes committed changes to realtime subscribers (socket.io, Server-Sent Events). */
  realtime: RealtimeBroker;
  importer: Importer;
  /** POST /api/v1/<entity>/import: files imported in the background, with a job to follow. */
  importJobs: ImportJobs;
  history: HistoryService;
  analytics: AnalyticsService;
  exporter: RecordExport;
  reports: ReportGenerator;
  /** Lead intake: public web forms, screening of incoming leads, the spam they hold back. */
  intake: { forms: IntakeForms; leads: LeadIntake; spam: SpamLeads };
  /** Accounts as Base44 apps manage them: self-registration confirmed by emailed code, updateMe, invitations. */
  appAccounts: AppAccounts;
  /** Base44's Core integrations: files, email, data extraction, language and image models. */
  integrations: CoreIntegrations;
  /** Entity declarations as each caller may use them (the admin app's metadata). */
  entityMeta: EntityMetaService;
  /** Flipped when shutdown begins, so readiness fails and load balancers drain this instance. */
  lifecycle: { shuttingDown: boolean };
  /** Requests whose handlers still run, even for a client that has gone: shutdown waits for them. */
  inFlight: InFlightRequests;
  /** Set with REDIS_URL: the connections shared by rate limits, the change feed and the queues. */
  redis: RedisClients | undefined;
  /** Every instance's committed changes: the local bus, or all instances' through Redis. */
  changeFeed: ChangeFeed & { whenReady(): Promise<unknown> };
  mailQueue: JobQueue<MailJob>;
  /**
   * Finishes running background jobs, closes Redis, the users-change listener and the password-hashing
   * threads; the database stays open (its owner closes it).
   */
  close(): Promise<void>;
}

export function buildContainer(
  config: Config,
  logger: Logger,
  sequelize: Sequelize,
  tables: readonly Declaration[] = allTables,
): Container {
  const catalog = new Catalog(tables);
  const models = new Models(sequelize, catalog);
  const registry = new EntityRegistry(catalog, models);
  const events = new ChangeEvents();
  const secret = resolveJwtSecret(config);
  const passwords = new Passwords(config.auth.bcryptRounds);
  const tokens = new AccessTokens({
    secret,
    issuer: config.auth.jwtIssuer,
    audience: config.auth.jwtAudience,
    ttlSeconds: config.auth.accessTokenTtlSeconds,
  });
  const callerCache = new CallerCache<UserRow>({
    ttlMs: config.auth.callerCacheSeconds * 1000,
    maxEntries: 10_000,
  });
  const directory = new Directory(models.get('User'), callerCache);
  const userChanges = hearUserChanges(models.get('User'), callerCache, {
    url: config.auth.callerCacheSeconds > 0 ? config.database.url : undefined,
    ssl: config.database.ssl,
    logger,
  });
  const cursors = new Cursors(derive(secret, 'list-cursor'));
  const crud = new CrudServices({
    registry,
    audit: new AuditTrail(models.get('AuditEntry')),
    sequelize,
    events,
    cursors,
    countLimit: config.database.listCountLimit,
    hashSecret: passwords.hash,
    teamOf: directory.teamOf,
  });
  const storage = createStorage(config, derive(secret, 'file-links'));
  const mailer = createMailer(config, logger);
  const documents = new DocumentService(
    crud,
    models.get('Document'),
    storage,
    {
      keyPrefix: config.storage.prefix,
      signedUrlTtlSeconds: config.storage.signedUrlTtlSeconds,
      publicUrl: config.publicUrl,
    },
    logger,
  );
  events.on(documents.onChange);
  // --- Background jobs and cross-instance fan-out (Redis when REDIS_URL is set) ---
  const redis = config.redis.url
    ? new RedisClients(config.redis.url, config.redis.keyPrefix, logger)
    : undefined;
  const changeFeed = redis
    ? new RedisChangeFeed(
        events,
        redis.commands,
        redis.connect('change-feed'),
        `${redis.prefix}:changes`,
        registry,
        logger,
      )
    : { on: events.on.bind(events), onBatch: events.onBatch.bind(events), whenReady: async () => undefined };
  const background = new BackgroundWork(logger);
  const mailQueue = createJobQueue<MailJob>(
    'mail',
    new MailDelivery(mailer, models.get('Email'), logger).run,
    { attempts: config.mailRetry.maxAttempts, backoffMs: config.mailRetry.backoffMs },
    config.queue,
    redis,
    logger,
  );
  const emails = new EmailService(crud, models.get('Email'), mailer, mailQueue, config.mail);
  const sessions = new Sessions(
    models.get('RefreshToken'),
    models.get('User'),
    directory,
    tokens,
    crud,
    sequelize,
    config.auth.refreshTokenTtlDays,
    logger,
  );
  events.on(sessions.onUserChange);
  const expiredTokens = new ExpiredTokens(
    sequelize,
    {
      refreshTokens: models.get('RefreshToken'),
      oneTimeTokens: models.get('OneTimeToken'),
      users: models.get('User'),
    },
    logger,
  );
  const exporter = new RecordExport(crud);
  const analytics = new AnalyticsService(crud, models.get('User'), models.get('Goal'), directory.teamOf);
  const reports = new ReportGenerator(crud, registry, exporter);
  const importer = new Importer(sequelize);
  const importJobs = new ImportJobs(
    crud,
    importer,
    storage,
    models.get('ImportJob'),
    {
      keyPrefix: config.storage.prefix,
      progressEveryRows: config.imports.progressEveryRows,
      heartbeatMs: config.imports.heartbeatSeconds * 1000,
      staleMs: config.imports.staleSeconds * 1000,
    },
    logger,
  );
  const auth = new AuthService(
    models.get('User'),
    models.get('Organization'),
    passwords,
    sessions,
    crud,
    emails,
    sequelize,
    { allowSignup: config.auth.allowSignup, loginUrl: config.auth.links.login },
    logger,
  );
  const accountLinks = new AccountLinks(
    models.get('User'),
    models.get('Organization'),
    new OneTimeTokens(models.get('OneTimeToken')),
    sessions,
    passwords,
    crud,
    emails,
    sequelize,
    config.auth.links,
    logger,
    background,
  );
  return {
    config,
    logger,
    sequelize,
    catalog,
    models,
    registry,
    events,
    passwords,
    tokens,
    directory,
    apiKeys: new ApiKeys(
      models.get('ApiKey'),
      sequelize,
      directory,
      registry.all().map((rt) => rt.decl.path),
    ),
    crud,
    auth,
    sessions,
    expiredTokens,
    accountLinks,
    // Counts in Redis hold across instances; in memory they are this instance's own.
    rateLimits: createRateLimits(
      config.rateLimit,
      redis ? redisStores(redis.commands, `${redis.prefix}:rl`, logger) : memoryStores,
      logger,
    ),
    migrator: new Migrator(sequelize, logger),
    storage,
    mailer,
    emails,
    importer,
    importJobs,
    history: new HistoryService(crud, registry, models.get('AuditEntry'), config.database.listCountLimit),
    documents,
    leads: new LeadService(
      crud,
      sequelize,
      models.get('User'),
      emails,
      { leadUrl: (id) => `${config.publicUrl}/admin/leads/${id}` },
      background,
    ),
    realtime: new RealtimeBroker({
      feed: changeFeed,
      registry,
      teamOf: directory.teamOf,
      recheckMs: config.realtime.recheckSeconds * 1000,
      logger,
    }),
    analytics,
    exporter,
    reports,
    intake: {
      forms: new IntakeForms(models.get('IntakeForm'), models.get('User')),
      leads: new LeadIntake(
        crud,
        sequelize,
        {
          forms: models.get('IntakeForm'),
          screenings: models.get('LeadScreening'),
          leads: models.get('Lead'),
        },
        directory,
        config.intake,
      ),
      spam: new SpamLeads(crud, sequelize, models.get('LeadScreening'), config.database.listCountLimit),
    },
    entityMeta: new EntityMetaService(registry),
    lifecycle: { shuttingDown: false },
    inFlight: new InFlightRequests(),
    redis,
    changeFeed,
    mailQueue,
    close: async () => {
      // Emails a request left to send after its answer reach the mail queue before it closes.
      await background.idle();
      await expiredTokens.stop();
      await userChanges.close();
      await mailQueue.close();
      await redis?.close();
      await passwords.close();
    },
    appAccounts: new AppAccounts(
      models.get('User'),
      models.get('Organization'),
      new OneTimeTokens(models.get('OneTimeToken')),
      auth,
      accountLinks,
      sessions,
      passwords,
      crud,
      emails,
      sequelize,
      { signupRole: config.base44.signupRole },
      logger,
      background,
    ),
    integrations: new CoreIntegrations(
      documents,
      emails,
      new DataExtractor(
        documents,
        config.publicUrl,
        config.integrations.textractEnabled ? new TextractTables(config.storage.s3.region) : undefined,
      ),
      config.integrations.llm && new LlmClient(config.integrations.llm),
      storage,
      { maxBytes: config.storage.maxUploadBytes, allowedTypes: new Set(config.storage.allowedTypes) },
      config.publicUrl,
    ),
  };
}
