import crypto from 'node:crypto';
import Joi from 'joi';
import { QueryTypes, type Model, type Sequelize } from 'sequelize';
import type { Actor } from '../context';
import { isPlainObject, UUID } from '../crud/filter/values';
import { validate } from '../crud/validation';
import type { AnyModel } from '../db/models';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from '../errors';
import type { Directory } from './directory';

/** A key as its owners see it: everything but the hash, plus today's usage against the quota. */
export type ApiKeyView = Record<string, unknown>;

/** The answer to creating or regenerating a key: the only time its secret is ever shown. */
export type IssuedApiKey = ApiKeyView & { key: string };

interface KeyRow {
  id: string;
  organization_id: string;
  created_by: string;
  name: string;
  prefix: string;
  scopes: string[];
  source_code: string | null;
  rate_limit_per_minute: number | null;
  daily_quota: number | null;
  usage_day: string | null;
  usage_count: number;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ACTIONS = ['read', 'create', 'update', 'delete', '*'] as const;
const INT32 = 2_147_483_647;
const DAY_MS = 86_400_000;

// `nxk_` + 8 hex characters that identify the key in lists and logs, then 32 random bytes (base64url).
const KEY_FORMAT = /^nxk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

function newSecret(): { prefix: string; key: string; hash: string } {
  const prefix = `nxk_${crypto.randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
  return { prefix, key, hash: hashOf(key) };
}

// A plain digest is enough: the secret is 256 random bits, so there is nothing to guess from the hash.
const hashOf = (key: string): string => crypto.createHash('sha256').update(key).digest('hex');

const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function writeSchemas(paths: readonly string[]) {
  const scope = Joi.string()
    .valid('*', ...paths.flatMap((p) => ACTIONS.map((a) => `${p}:${a}`)))
    .messages({
      'any.only':
        '{{#label}} is not a scope: use <entity>:<read|create|update|delete|*> with an entity path ' +
        '(leads, contacts, ...), or * for everything',
    });
  const fields = {
    name: Joi.string().trim().min(1).max(100),
    scopes: Joi.array().items(scope).min(1).max(200).unique(),
    source_code: Joi.string().trim().min(1).max(100).allow(null),
    rate_limit_per_minute: Joi.number().integer().min(1).max(1_000_000).allow(null),
    daily_quota: Joi.number().integer().min(1).max(INT32).allow(null),
    expires_at: Joi.date()
      .iso()
      .greater('now')
      .allow(null)
      .messages({ 'date.greater': '{{#label}} must be in the future' }),
  };
  const unknown = { 'object.unknown': '{{#label}} is not a field of an API key' };
  return {
    create: Joi.object({
      ...fields,
      name: fields.name.required(),
      scopes: fields.scopes.required(),
    }).messages(unknown),
    update: Joi.object(fields).messages(unknown),
  };
}

/**
 * API keys for integrations and lead vendors. Admins manage them; a key acts as the user who created it,
 * narrowed to its scopes, within that user's organization. Only a hash of each secret is stored.
 */
export class ApiKeys {
  private readonly schemas: ReturnType<typeof writeSchemas>;

  constructor(
    private readonly keys: AnyModel,
    private readonly sequelize: Sequelize,
    private readonly directory: Pick<Directory, 'actorFor'>,
    /** Entity paths a scope may name. */
    entityPaths: readonly string[],
  ) {
    this.schemas = writeSchemas(entityPaths);
  }

  // ---------------------------------------------------------------- management (admins)

  async list(
    actor: Actor,
    page: { limit: number; offset: number },
  ): Promise<{ rows: ApiKeyView[]; total: number }> {
    this.mayManage(actor);
    const { rows, count } = await this.keys.findAndCountAll({
      where: { organization_id: actor.organizationId },
      order: [
        ['created_at', 'DESC'],
        ['id', 'ASC'],
      ],
      limit: page.limit,
      offset: page.offset,
    });
    return { rows: rows.map((r) => this.present(r)), total: count };
  }

  async get(actor: Actor, id: string): Promise<ApiKeyView> {
    return this.present(await this.find(actor, id));
  }

  async create(actor: Actor, body: unknown): Promise<IssuedApiKey> {
    this.mayManage(actor);
    const values = this.validated(this.schemas.create, body);
    const secret = newSecret();
    const row = await this.keys.create({
      ...values,
      organization_id: actor.organizationId,
      created_by: actor.userId,
      prefix: secret.prefix,
      key_hash: secret.hash,
    });
    return { ...this.present(row), key: secret.key };
  }

  async update(actor: Actor, id: string, body: unknown): Promise<ApiKeyView> {
    const row = await this.find(actor, id);
    await row.update(this.validated(this.schemas.update, body));
    return this.present(row);
  }

  /** Stops the key at once; revoking it again keeps the first revocation time. */
  async revoke(actor: Actor, id: string): Promise<ApiKeyView> {
    const row = await this.find(actor, id);
    if (!row.get('revoked_at')) await row.update({ revoked_at: new Date() });
    return this.present(row);
  }

  /** A new secret for the same key (scopes, limits, usage): the old secret stops working at once. */
  async regenerate(actor: Actor, id: string): Promise<IssuedApiKey> {
    const row = await this.find(actor, id);
    if (row.get('revoked_at'))
      throw new ConflictError('This API key has been revoked and stays so: create a new key instead');
    const secret = newSecret();
    await row.update({ prefix: secret.prefix, key_hash: secret.hash });
    return { ...this.present(row), key: secret.key };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await (await this.find(actor, id)).destroy();
  }

  // ---------------------------------------------------------------- use (integrations)

  /**
   * The actor a presented key stands for: its creator, as they are now, narrowed to the key's scopes.
   * Each accepted request counts against the key's daily quota and marks it used.
   */
  async authenticate(presented: string, now = new Date()): Promise<Actor> {
    const { key, actor } = await this.resolve(presented, now);
    await this.countUse(key, now);
    return actor;
  }

  /**
   * The actor a key accepted earlier stands for now, without counting a use: a long-lived connection (a
   * realtime stream) rechecks the key it was opened with, so revoking or regenerating it ends the stream.
   */
  async recheck(presented: string, now = new Date()): Promise<Actor> {
    return (await this.resolve(presented, now)).actor;
  }

  private async resolve(presented: string, now: Date): Promise<{ key: KeyRow; actor: Actor }> {
    const key = KEY_FORMAT.test(presented)
      ? ((await this.keys.findOne({ where: { key_hash: hashOf(presented) }, raw: true })) as KeyRow | null)
      : null;
    if (!key) throw new UnauthorizedError('This API key is not valid');
    if (key.revoked_at) throw new UnauthorizedError('This API key has been revoked');
    if (key.expires_at && key.expires_at <= now) throw new UnauthorizedError('This API key has expired');
    let creator: Actor;
    try {
      creator = await this.directory.actorFor({
        userId: key.created_by,
        organizationId: key.organization_id,
      });
    } catch (err) {
      if (!(err instanceof UnauthorizedError)) throw err;
      throw new UnauthorizedError(
        'The user who created this API key no longer has access, so neither does the key',
      );
    }
    return {
      key,
      actor: {
        ...creator,
        apiKey: {
          id: key.id,
          scopes: key.scopes,
          sourceCode: key.source_code,
          rateLimitPerMinute: key.rate_limit_per_minute,
        },
      },
    };
  }

  /**
   * One atomic statement counts the request in today's (UTC) tally and stamps last use — or changes
   * nothing when the quota is spent, so concurrent requests can never overshoot it.
   */
  private async countUse(key: KeyRow, now: Date): Promise<void> {
    const counted = await this.sequelize.query(
      `UPDATE "${this.keys.tableName}"
          SET usage_count = CASE WHEN usage_day = $day THEN usage_count + 1 ELSE 1 END,
              usage_day = $day,
              last_used_at = $now
        WHERE id = $id
          AND (daily_quota IS NULL OR usage_day IS DISTINCT FROM $day OR usage_count < daily_quota)
        RETURNING id`,
      { bind: { id: key.id, day: utcDay(now), now }, type: QueryTypes.SELECT },
    );
    if (counted.length) return;
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
    throw new RateLimitedError(
      'This API key has used its daily quota; it resets at midnight UTC',
      Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)),
    );
  }

  // ---------------------------------------------------------------- internals

  /** Keys are managed by administrators in person: not by other roles, and not by a key. */
  private mayManage(actor: Actor): void {
    if (actor.apiKey) {
      throw new ForbiddenError('API keys cannot manage API keys: an administrator signs in to do that');
    }
    if (actor.role !== 'admin') {
      throw new ForbiddenError(`Your role (${actor.role}) may not manage API keys: ask an administrator`);
    }
  }

  /** A key of the actor's organization; another organization's key is as absent as a missing one. */
  private async find(actor: Actor, id: string): Promise<Model> {
    this.mayManage(actor);
    const row = UUID.test(id)
      ? await this.keys.findOne({ where: { id: id.toLowerCase(), organization_id: actor.organizationId } })
      : null;
    if (!row) throw new NotFoundError(`No API key with id ${JSON.stringify(id)}`);
    return row;
  }

  private validated(schema: Joi.ObjectSchema, body: unknown): Record<string, unknown> {
    if (!isPlainObject(body)) throw new ValidationError('The body must be a JSON object of fields');
    return validate(schema, body, { entityName: 'API key', stripUnknown: false });
  }

  private present(row: Model): ApiKeyView {
    const k = row.get({ plain: true }) as KeyRow;
    return {
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      source_code: k.source_code,
      rate_limit_per_minute: k.rate_limit_per_minute,
      daily_quota: k.daily_quota,
      usage_today: k.usage_day === utcDay(new Date()) ? k.usage_count : 0,
      last_used_at: iso(k.last_used_at),
      expires_at: iso(k.expires_at),
      revoked_at: iso(k.revoked_at),
      created_by: k.created_by,
      created_at: iso(k.created_at),
      updated_at: iso(k.updated_at),
    };
  }
}
