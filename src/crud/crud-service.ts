import { Op, Sequelize, type Model, type Transaction, type WhereOptions } from 'sequelize';
import type { Actor } from '../context';
import { fromDatabaseError } from '../db/errors';
import {
  AppError,
  ForbiddenError,
  InvalidQueryError,
  NotFoundError,
  ValidationError,
  type ErrorDetail,
} from '../errors';
import type { ChangeEvents, ChangeType } from '../events';
import { SERVER_ASSIGNED, type Scope, type Values, type WriteHookArgs } from '../schema/entity';
import type { Field } from '../schema/fields';
import { forRecord } from './record-index';
import { countMatches, sharpen } from './count-matches';
import { findById, type ByIdQuery } from './find-by-id';
import { findPage } from './find-page';
import { insertRows } from './insert-rows';
import type { AuditTrail } from './audit-trail';
import { compileAggregate, readAggregateRow, type AggregateSpec } from './aggregate';
import { compileFilter, compileSearch } from './filter/compile';
import { isPlainObject, UUID } from './filter/values';
import type { Cursors } from './ordering';
import { keysetWhere, parseSort } from './ordering';
import { covers, ownerConditions, rolePolicy, scopeOf, scopeWhere, type Action } from './policy';
import type { EntityRegistry, EntityRuntime } from './registry';
import { serialize } from './serialize';
import { blankToNull, invalidMessage, validate } from './validation';

export interface CrudDeps {
  registry: EntityRegistry;
  audit: AuditTrail;
  sequelize: Sequelize;
  events: ChangeEvents;
  cursors: Cursors;
  /** A `bounded` total counts at most this many matches; 0 counts them all. */
  countLimit: number;
  hashSecret(plain: string): Promise<string>;
  /** The actor plus the users who report to them. */
  teamOf(actor: Actor, transaction?: Transaction): Promise<string[]>;
}

export interface ServiceOptions {
  /** `reject`: an undeclared body field is a 400 (/api/v1). `ignore`: it is dropped (Base44 apps send records back whole). */
  unknownFields: 'reject' | 'ignore';
}

export interface ListQuery {
  filter?: unknown;
  search?: string;
  sort?: string;
  fields?: string[];
  limit?: number;
  offset?: number;
  /** Keyset paging: '' asks for the first page, a `nextCursor` for the page after it. */
  cursor?: string;
  /**
   * Whether to count the matches for `total`: `bounded` stops at the configured limit (and then says only that
   * more match), `exact` counts every one. Left out, nothing is counted.
   */
  total?: 'bounded' | 'exact';
  /** Read inside a caller's transaction. */
  transaction?: Transaction;
}

export interface WriteOptions {
  /** Join a transaction the caller opened, so several writes commit or fail together. */
  transaction?: Transaction;
  /**
   * How created records are announced after commit: `each` (default) as one change per record; `ids` as one
   * `RecordBatch` naming them, so a long transaction (an import) keeps only their ids until it commits.
   */
  announce?: 'each' | 'ids';
}

export interface CreateOptions extends WriteOptions {
  /** Values set by server code, never by the client (e.g. a stored file's key, a lead's conversion links). */
  assign?: Values;
  /** The records passed the screening their declaration requires of API keys (`screenApiKeyCreates`). */
  screened?: boolean;
}
export type UpdateOptions = CreateOptions;

export interface ReadOptions {
  fields?: string[];
  /** Read inside a caller's transaction, locking the row until it ends. */
  transaction?: Transaction;
}

export interface ListResult {
  rows: Values[];
  total?: number;
  /** False when `total` is a lower bound: more records than `total` match. */
  totalExact?: boolean;
  nextCursor: string | null;
  hasMore: boolean;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
export const MAX_BULK = 1000;
const MAX_SEARCH = 200;
const NEVER_WRITTEN = new Set<string>(SERVER_ASSIGNED);

/** Whether a value sent by a client equals the stored one, as the field's kind compares. */
function sameValue(kind: string | undefined, sent: unknown, stored: unknown): boolean {
  const blank = (v: unknown) => v === undefined || v === null || v === '';
  if (blank(sent) || blank(stored)) return blank(sent) && blank(stored);
  if (kind === 'timestamp')
    return new Date(sent as string).getTime() === new Date(stored as string).getTime();
  if (kind === 'decimal' || kind === 'float' || kind === 'integer') return Number(sent) === Number(stored);
  if (kind === 'json' || kind === 'list') return JSON.stringify(sent) === JSON.stringify(stored);
  return String(sent) === String(stored);
}

const and = (...parts: (WhereOptions | undefined)[]): WhereOptions => ({
  [Op.and]: parts.filter((p): p is WhereOptions => p !== undefined),
});

/**
 * The one service behind every entity route of every surface. It knows nothing about HTTP. Each call checks
 * the actor's role for the action, ANDs the organization and the role's row scope around whatever the caller
 * asked for, keeps hidden and unreadable fields out, validates writes against the declaration, runs the
 * entity's hooks and the write in one transaction, and announces the change after commit.
 */
export class CrudService {
  private readonly readable: Set<string>;
  private readonly unwritable: Set<string>;

  constructor(
    private readonly rt: EntityRuntime,
    private readonly actor: Actor,
    private readonly deps: CrudDeps,
    private readonly options: ServiceOptions,
  ) {
    const policy = rolePolicy(rt.decl, actor);
    const unreadable = new Set(policy.unreadable ?? []);
    this.readable = new Set(rt.visible.filter((f) => !unreadable.has(f)));
    this.unwritable = new Set(policy.unwritable ?? []);
  }

  get entity(): EntityRuntime {
    return this.rt;
  }

  /** Fields the actor's role may not set on this entity. */
  get unwritableFields(): ReadonlySet<string> {
    return this.unwritable;
  }

  /**
   * Throws 403 unless the actor's role may take this action on this entity at all — and, for a create by an
   * API key of records that must be screened, unless they were.
   */
  authorize(action: Action, opts: { screened?: boolean } = {}): void {
    scopeOf(this.rt.decl, this.actor, action);
    if (action === 'create' && this.rt.decl.screenApiKeyCreates && this.actor.apiKey && !opts.screened) {
      throw new ForbiddenError(
        `${this.rt.decl.name} records sent with an API key are screened for spam: create them one at a time or in bulk, not by an import or an upsert`,
      );
    }
  }

  /**
   * The users this actor may name in the entity's owner fields of records they write (themselves, their
   * team); undefined when their reach is the whole organization. Imports drop owners outside it.
   */
  async ownersInReach(transaction?: Transaction): Promise<ReadonlySet<string> | undefined> {
    const read = rolePolicy(this.rt.decl, this.actor).read;
    if (!read || read === 'all') return undefined;
    return new Set(await this.people(read, transaction));
  }

  /** A field this actor may read, filter and sort on. */
  fieldOf = (name: string): Field | undefined =>
    this.readable.has(name) ? this.rt.decl.fields[name] : undefined;

  // ---------------------------------------------------------------- reads

  async list(q: ListQuery): Promise<ListResult> {
    const scope = scopeOf(this.rt.decl, this.actor, 'read');
    const limit = q.limit ?? DEFAULT_LIMIT;
    const sort = parseSort(q.sort || this.rt.decl.defaultSort, this.fieldOf);
    const select = this.selection(q.fields);
    const { transaction } = q;
    const alternatives = await this.readAlternatives(scope, q, transaction);
    const cursorContext = {
      u: this.actor.userId,
      e: this.rt.decl.name,
      f: q.filter ?? null,
      s: q.search ?? null,
      o: sort,
    };
    const after = q.cursor
      ? keysetWhere(sort, this.deps.cursors.decode(q.cursor, cursorContext, sort.length), this.nullable)
      : undefined;
    const [rows, counted] = await this.guarded(() =>
      Promise.all([
        findPage(this.rt.model, {
          anyOf: after ? alternatives.map((where) => and(where, after)) : alternatives,
          attributes: [...new Set([...select, ...sort.map((k) => k.field)])],
          sort,
          limit: limit + 1,
          offset: q.cursor === undefined ? q.offset : undefined,
          transaction,
        }),
        q.total
          ? countMatches(
              this.rt.model,
              alternatives,
              q.total === 'exact' ? 0 : this.deps.countLimit,
              transaction,
            )
          : undefined,
      ]),
    );
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    const matches =
      counted && q.cursor === undefined ? sharpen(counted, q.offset ?? 0, page.length, hasMore) : counted;
    const last = page[page.length - 1];
    const nextCursor =
      hasMore && last
        ? this.deps.cursors.encode(
            sort.map((k) =>
              last[k.field] instanceof Date ? (last[k.field] as Date).toISOString() : last[k.field],
            ),
            cursorContext,
          )
        : null;
    return {
      rows: page.map((r) => this.present(r, select)),
      ...(matches ? { total: matches.n, totalExact: matches.exact } : {}),
      nextCursor,
      hasMore,
    };
  }

  /** GROUP BY in SQL within the actor's scope; see ./aggregate for the spec. */
  async aggregate(spec: AggregateSpec): Promise<{ rows: Values[]; truncated: boolean }> {
    const scope = scopeOf(this.rt.decl, this.actor, 'read');
    const where = await this.readWhere(scope, spec);
    const c = compileAggregate(spec, this.fieldOf);
    const rows = (await this.guarded(() =>
      this.rt.model.findAll({
        where,
        attributes: c.attributes,
        group: (c.group as unknown[]).length ? c.group : undefined,
        having: c.having,
        order: c.order,
        limit: spec.limit + 1,
        raw: true,
      }),
    )) as unknown as Values[];
    return {
      rows: rows.slice(0, spec.limit).map((r) => readAggregateRow(r, c.readers)),
      truncated: rows.length > spec.limit,
    };
  }

  /**
   * Stored rows matching a filter within the actor's scope for `action` (oldest first), for operations that
   * then change them one by one inside the caller's transaction.
   */
  async rowsMatching(
    filter: unknown,
    action: 'update' | 'delete',
    limit: number,
    transaction: Transaction,
  ): Promise<Values[]> {
    const scope = scopeOf(this.rt.decl, this.actor, action);
    const where = and(await this.readWhere(scope, { filter }, transaction));
    const rows = await this.guarded(() =>
      this.rt.model.findAll({
        where,
        order: [
          ['created_at', 'ASC'],
          ['id', 'ASC'],
        ],
        limit,
        raw: true,
        transaction,
      }),
    );
    return rows as unknown as Values[];
  }

  /** The distinct values of one field among the records the actor can read, in order, paged by value. */
  async distinct(
    field: string,
    q: Pick<ListQuery, 'filter' | 'limit'> & { after?: unknown },
  ): Promise<{ values: unknown[]; hasMore: boolean }> {
    const scope = scopeOf(this.rt.decl, this.actor, 'read');
    const f = this.fieldOf(field);
    if (!f || f.spec.kind === 'json') {
      throw new InvalidQueryError(`Cannot list distinct values of "${field}"`, [
        { field, message: 'unknown or not a scalar field' },
      ]);
    }
    const limit = q.limit ?? DEFAULT_LIMIT;
    const base = await this.readWhere(scope, q);
    const where = q.after === undefined ? base : and(base, { [field]: { [Op.gt]: q.after } });
    const rows = (await this.guarded(() =>
      this.rt.model.findAll({
        where: and(where, { [field]: { [Op.not]: null } }),
        attributes: [[Sequelize.fn('DISTINCT', Sequelize.col(field)), field]],
        order: [[field, 'ASC']],
        limit: limit + 1,
        raw: true,
      }),
    )) as unknown as Values[];
    const values = rows.slice(0, limit).map((r) => this.present(r, [field])[field]);
    return { values, hasMore: rows.length > limit };
  }

  async count(q: Pick<ListQuery, 'filter' | 'search'> = {}): Promise<number> {
    const scope = scopeOf(this.rt.decl, this.actor, 'read');
    const where = await this.readWhere(scope, q);
    return this.guarded(() => this.rt.model.count({ where }));
  }

  async get(id: string, opts: ReadOptions = {}): Promise<Values> {
    const scope = scopeOf(this.rt.decl, this.actor, 'read');
    const select = this.selection(opts.fields);
    const { transaction } = opts;
    const rowId = this.idOrNotFound(id);
    const row = await this.guarded(async () =>
      findById(this.rt.model, {
        id: rowId,
        organizationId: this.actor.organizationId,
        owners: this.owners(scope, await this.people(scope, transaction)),
        columns: select,
        transaction,
      }),
    );
    if (!row) throw this.notFound(id);
    return this.present(row as unknown as Values, select);
  }

  // ---------------------------------------------------------------- writes

  async create(input: unknown, opts: CreateOptions = {}): Promise<Values> {
    const [record] = await this.createMany([input], opts);
    return record!;
  }

  /** Creates all records or none; every invalid record is reported with its index. */
  async bulkCreate(
    inputs: unknown,
    opts: WriteOptions & Pick<CreateOptions, 'screened'> = {},
  ): Promise<Values[]> {
    if (!Array.isArray(inputs)) throw new ValidationError('Send a JSON array of records');
    if (inputs.length === 0) throw new ValidationError('Send at least one record');
    if (inputs.length > MAX_BULK) throw new ValidationError(`Send at most ${MAX_BULK} records at a time`);
    return this.createMany(inputs, opts, true);
  }

  async update(id: string, patch: unknown, opts: UpdateOptions = {}): Promise<Values> {
    const scope = scopeOf(this.rt.decl, this.actor, 'update');
    const rowId = this.idOrNotFound(id);
    const values = this.prepare(patch, 'update');
    const people = await this.people(scope, opts.transaction);
    const stored = await this.transaction(async (t) => {
      const row = await this.lockedRow(rowId, scope, people, t);
      if (!row) throw this.notFound(id);
      const existing = row.get({ plain: true, clone: true }) as Values;
      this.refuseProtectedChanges(patch as Values, existing);
      const hooked = await this.runHooks(values, existing, t);
      await this.checkReferences([hooked], t, false, existing);
      row.set({ ...hooked, ...opts.assign });
      // The row was in the update scope when locked, and scopes go through owner fields alone: while none of
      // them changes, the row stays where it was, in the read scope too when that is as wide.
      const changed = row.changed() || [];
      const moved = this.rt.decl.owner.some((field) => changed.includes(field));
      await row.save({ transaction: t });
      if (moved || !covers(rolePolicy(this.rt.decl, this.actor).read, scope)) {
        const readWithin = await this.readScopeFilter(t);
        await this.assertWithin([rowId], and(scopeWhere(this.rt.decl, scope, people), readWithin), t);
      }
      const updated = row.get({ plain: true }) as Values;
      await this.deps.audit.record(t, this.rt.decl, this.actor, 'update', [
        { before: existing, after: updated },
      ]);
      this.announceAfterCommit(t, 'update', updated, existing);
      return updated;
    }, opts.transaction);
    return this.present(stored);
  }

  async remove(id: string, opts: WriteOptions = {}): Promise<void> {
    const scope = scopeOf(this.rt.decl, this.actor, 'delete');
    const rowId = this.idOrNotFound(id);
    const people = await this.people(scope, opts.transaction);
    await this.transaction(async (t) => {
      const row = await this.lockedRow(rowId, scope, people, t);
      if (!row) throw this.notFound(id);
      const before = row.get({ plain: true, clone: true }) as Values;
      await this.rt.decl.hooks.beforeDelete?.(before, this.hookArgs(t));
      await row.destroy({ transaction: t });
      await this.deps.audit.record(t, this.rt.decl, this.actor, 'delete', [{ before }]);
      this.announceAfterCommit(t, 'delete', before);
    }, opts.transaction);
  }

  // ---------------------------------------------------------------- internals

  private async createMany(inputs: unknown[], opts: CreateOptions, indexed = false): Promise<Values[]> {
    this.authorize('create', opts);
    const at = (i: number) => (indexed ? i : undefined);
    const prepared = this.collect(
      inputs.map((input, i) => () => {
        this.refuseProtectedChanges(input as Values, undefined, at(i));
        return this.prepare(input, 'create', at(i));
      }),
      inputs.length,
    );
    const { sourceField } = this.rt.decl;
    const stamp =
      sourceField && this.actor.apiKey?.sourceCode ? { [sourceField]: this.actor.apiKey.sourceCode } : {};
    // Every read scope reaches its actor's own records: when `created_by` is an owner field, the rows created
    // here need no check (nor the read scope's people).
    const readWithin = this.rt.decl.owner.includes('created_by')
      ? undefined
      : await this.readScopeFilter(opts.transaction);
    const stored = await this.transaction(async (t) => {
      const hooked: Values[] = [];
      for (const [i, values] of prepared.entries()) {
        hooked.push(await forRecord(at(i), () => this.runHooks(values, undefined, t)));
      }
      await this.checkReferences(hooked, t, indexed);
      const rows = hooked.map((values) => ({
        ...values,
        ...stamp,
        ...opts.assign,
        organization_id: this.actor.organizationId,
        created_by: this.actor.userId,
      }));
      const records = (await insertRows(this.rt.model, rows, t)) as Values[];
      if (readWithin)
        await this.assertWithin(
          records.map((r) => r.id as string),
          readWithin,
          t,
        );
      await this.deps.audit.record(
        t,
        this.rt.decl,
        this.actor,
        'create',
        records.map((after) => ({ after })),
      );
      if (opts.announce === 'ids') this.announceBatchAfterCommit(t, records);
      else for (const record of records) this.announceAfterCommit(t, 'create', record);
      return records;
    }, opts.transaction);
    return stored.map((record) => this.present(record));
  }

  /**
   * A field the role may not set is refused (403) when the write would change it, and ignored when the
   * write only repeats it — clients that send whole records back keep working.
   */
  private refuseProtectedChanges(input: Values, existing: Values | undefined, index?: number): void {
    if (!isPlainObject(input)) return;
    const changed = [...this.unwritable].filter((name) => {
      if (!(name in input)) return false;
      const field = this.rt.decl.fields[name];
      return !sameValue(field?.spec.kind, input[name], existing?.[name]);
    });
    if (changed.length) {
      throw new AppError(
        403,
        'FORBIDDEN',
        `Your role (${this.actor.role}) may not set ${changed.join(', ')} on ${this.rt.decl.path.replace(/-/g, ' ')}`,
        changed.map((field) => ({
          ...(index !== undefined ? { index } : {}),
          field,
          message: 'not writable for your role',
        })),
      );
    }
  }

  /** Runs each step, gathering every validation failure before giving up, so a bulk reply lists them all. */
  private collect<T>(steps: (() => T)[], total: number): T[] {
    const results: T[] = [];
    const details: ErrorDetail[] = [];
    for (const step of steps) {
      try {
        results.push(step());
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        details.push(...(err.details ?? [{ message: err.message }]));
      }
    }
    if (details.length === 0) return results;
    if (total === 1) throw new ValidationError(invalidMessage(this.rt.decl.name, details), details);
    const bad = new Set(details.map((d) => d.index)).size;
    const first = details
      .slice(0, 3)
      .map((d) => `record ${d.index ?? '?'}: ${d.message}`)
      .join('; ');
    throw new ValidationError(
      `${bad} of ${total} records are not valid; nothing was created (${first})`,
      details,
    );
  }

  private prepare(input: unknown, mode: 'create' | 'update', index?: number): Values {
    if (!isPlainObject(input)) {
      throw new ValidationError(
        'The body must be a JSON object of fields',
        index !== undefined ? [{ index, message: 'not an object' }] : undefined,
      );
    }
    const { decl, schemas } = this.rt;
    const kept: Values = {};
    for (const [key, value] of Object.entries(input)) {
      const field = decl.fields[key];
      // Server-assigned and computed fields are never applied; role-protected ones were checked before.
      if (NEVER_WRITTEN.has(key) || this.unwritable.has(key) || (field?.spec.readOnly ?? false)) continue;
      kept[key] = value;
    }
    return validate(mode === 'create' ? schemas.create : schemas.update, blankToNull(decl, kept), {
      entityName: decl.name,
      stripUnknown: this.options.unknownFields === 'ignore',
      index,
    });
  }

  private hookArgs(transaction: Transaction, existing?: Values): WriteHookArgs {
    return {
      actor: this.actor,
      existing,
      transaction,
      lookup: (entity, ids, attributes) => this.lookup(entity, ids, attributes, transaction),
      hashSecret: this.deps.hashSecret,
    };
  }

  private async runHooks(
    values: Values,
    existing: Values | undefined,
    transaction: Transaction,
  ): Promise<Values> {
    const hook = this.rt.decl.hooks.beforeWrite;
    return hook ? hook(values, this.hookArgs(transaction, existing)) : values;
  }

  /** Records of another entity that this actor may read, by id. */
  private async lookup(
    entity: string,
    ids: string[],
    attributes: string[],
    transaction: Transaction,
  ): Promise<Values[]> {
    const target = this.deps.registry.get(entity);
    const policy = rolePolicy(target.decl, this.actor);
    const valid = ids.filter((id) => UUID.test(id));
    if (!policy.read || valid.length === 0) return [];
    const within = scopeWhere(target.decl, policy.read, await this.people(policy.read, transaction));
    const rows = await target.model.findAll({
      where: and(this.orgWhere(), within, { id: { [Op.in]: valid } }),
      attributes: [...new Set(['id', ...attributes])],
      transaction,
      raw: true,
    });
    return rows as unknown as Values[];
  }

  /**
   * Every id a write points at must be a record the actor can see: 404 otherwise. On update, `existing`
   * completes a polymorphic link of which the patch changes only one half.
   */
  private async checkReferences(
    rows: Values[],
    transaction: Transaction,
    indexed = false,
    existing?: Values,
  ): Promise<void> {
    const wanted = new Map<string, { id: string; field: string; index?: number }[]>();
    const want = (entity: string, id: string, field: string, index: number) => {
      const list = wanted.get(entity) ?? [];
      list.push({ id, field, ...(indexed ? { index } : {}) });
      wanted.set(entity, list);
    };
    rows.forEach((row, index) => {
      for (const [name, field] of Object.entries(this.rt.decl.fields)) {
        const value = row[name];
        if (field.spec.kind === 'ref' && typeof value === 'string')
          want(field.spec.target!, value, name, index);
      }
      if ('related_type' in row || 'related_id' in row) {
        const link = { related_type: existing?.related_type, related_id: existing?.related_id, ...row };
        this.relatedReference(link, index, want, indexed);
      }
    });
    for (const [entity, refs] of wanted) {
      const found = new Set(
        (await this.lookup(entity, [...new Set(refs.map((r) => r.id))], ['id'], transaction)).map(
          (r) => r.id,
        ),
      );
      const missing = refs.filter((r) => !found.has(r.id));
      if (missing.length) {
        throw new NotFoundError(
          `${entity} ${missing[0]!.id} (${missing[0]!.field}) was not found`,
          missing.map((r) => ({
            ...(r.index !== undefined ? { index: r.index } : {}),
            field: r.field,
            message: `no ${entity} with this id`,
          })),
        );
      }
    }
  }

  private relatedReference(
    row: Values,
    index: number,
    want: (entity: string, id: string, field: string, index: number) => void,
    indexed: boolean,
  ): void {
    const type = row.related_type;
    const id = row.related_id;
    if ((type == null) !== (id == null)) {
      throw new ValidationError('related_type and related_id go together', [
        {
          ...(indexed ? { index } : {}),
          field: type == null ? 'related_type' : 'related_id',
          message: 'required with the other',
        },
      ]);
    }
    if (typeof type === 'string' && typeof id === 'string')
      want(this.deps.registry.relatedTypes.get(type)!, id, 'related_id', index);
  }

  private async assertWithin(
    ids: string[],
    within: WhereOptions | undefined,
    transaction: Transaction,
  ): Promise<void> {
    if (!within) return;
    const visible = await this.rt.model.count({
      where: and(this.orgWhere(), within, { id: { [Op.in]: ids } }),
      transaction,
    });
    if (visible !== ids.length) {
      throw new ForbiddenError(
        `This change would put the ${this.rt.decl.name} outside the records your role may manage: ` +
          'keep it assigned to you or your team',
      );
    }
  }

  /** Listeners hear of a change only once it is committed — of the caller's transaction, when joined. */
  private announceAfterCommit(t: Transaction, type: ChangeType, stored: Values, previous?: Values): void {
    t.afterCommit(() =>
      this.deps.events.emit({
        type,
        entity: this.rt.decl.name,
        organizationId: this.actor.organizationId,
        id: stored.id as string,
        record: this.present(stored, [...this.rt.visible]),
        stored,
        ...(previous ? { previous } : {}),
        actor: this.actor,
        timestamp: new Date().toISOString(),
      }),
    );
  }

  /** One notification naming the created records: the closure kept until commit holds their ids only. */
  private announceBatchAfterCommit(t: Transaction, records: Values[]): void {
    const ids = records.map((r) => r.id as string);
    t.afterCommit(() =>
      this.deps.events.emitBatch({
        type: 'create',
        entity: this.rt.decl.name,
        organizationId: this.actor.organizationId,
        ids,
        actor: this.actor,
        timestamp: new Date().toISOString(),
      }),
    );
  }

  private orgWhere(): WhereOptions {
    return { organization_id: this.actor.organizationId };
  }

  /** The owner fields and people a scope reaches rows through (`findById`'s terms for `ownerConditions`). */
  private owners(scope: Exclude<Scope, false>, people: string[]): ByIdQuery['owners'] {
    return scope === 'all' ? undefined : { fields: this.rt.decl.owner, people };
  }

  /**
   * The row to change or delete, if the scope reaches it, locked until the transaction ends. Read with the
   * statement behind GET by id rather than `findOne`, whose option handling cost more CPU than the statement
   * (docs/PERFORMANCE.md); an instance built from a raw row is what `findOne` itself returns.
   */
  private async lockedRow(
    rowId: string,
    scope: Exclude<Scope, false>,
    people: string[],
    transaction: Transaction,
  ): Promise<Model | undefined> {
    const row = await findById(this.rt.model, {
      id: rowId,
      organizationId: this.actor.organizationId,
      owners: this.owners(scope, people),
      columns: Object.keys(this.rt.model.getAttributes()),
      transaction,
    });
    return row && this.rt.model.build(row, { isNewRecord: false, raw: true });
  }

  private async people(scope: Exclude<Scope, false>, transaction?: Transaction): Promise<string[]> {
    if (scope === 'own') return [this.actor.userId];
    return scope === 'team' ? this.deps.teamOf(this.actor, transaction) : [];
  }

  /** Pass the caller's transaction: on the embedded database a query outside an open one would wait for it. */
  private async scopeFilter(
    scope: Exclude<Scope, false>,
    transaction?: Transaction,
  ): Promise<WhereOptions | undefined> {
    return scopeWhere(this.rt.decl, scope, await this.people(scope, transaction));
  }

  private async readScopeFilter(transaction?: Transaction): Promise<WhereOptions | undefined> {
    const read = rolePolicy(this.rt.decl, this.actor).read;
    return read ? this.scopeFilter(read, transaction) : undefined;
  }

  private async readWhere(
    scope: Exclude<Scope, false>,
    q: Pick<ListQuery, 'filter' | 'search'>,
    transaction?: Transaction,
  ): Promise<WhereOptions> {
    const { common, owners } = await this.readConditions(scope, q, transaction);
    return and(common, owners.length > 1 ? { [Op.or]: owners } : owners[0]);
  }

  /**
   * The same rows as `readWhere`, as alternatives to read one by one: one per owner field the scope goes
   * through (see ./find-page for why a list reads them so), or the single condition of an unscoped read.
   */
  private async readAlternatives(
    scope: Exclude<Scope, false>,
    q: Pick<ListQuery, 'filter' | 'search'>,
    transaction?: Transaction,
  ): Promise<WhereOptions[]> {
    const { common, owners } = await this.readConditions(scope, q, transaction);
    return owners.length ? owners.map((owner) => and(common, owner)) : [common];
  }

  private async readConditions(
    scope: Exclude<Scope, false>,
    q: Pick<ListQuery, 'filter' | 'search'>,
    transaction?: Transaction,
  ): Promise<{ common: WhereOptions; owners: WhereOptions[] }> {
    const parts: (WhereOptions | undefined)[] = [this.orgWhere()];
    if (q.filter !== undefined) parts.push(compileFilter(q.filter, { field: this.fieldOf }));
    if (q.search !== undefined && q.search !== '') {
      if (q.search.length > MAX_SEARCH)
        throw new InvalidQueryError(`search is limited to ${MAX_SEARCH} characters`);
      if (q.search.includes('\u0000'))
        throw new InvalidQueryError('search cannot contain the NUL character (\\u0000)');
      const fields = this.rt.searchable
        .filter((n) => this.readable.has(n))
        .map((name) => ({ name, field: this.rt.decl.fields[name]! }));
      parts.push(compileSearch(q.search, fields));
    }
    const owners = ownerConditions(this.rt.decl, scope, await this.people(scope, transaction));
    return { common: and(...parts), owners };
  }

  private selection(fields: string[] | undefined): string[] {
    if (!fields?.length) return [...this.readable];
    const unknown = fields.filter((f) => !this.readable.has(f));
    if (unknown.length) {
      throw new InvalidQueryError(
        `Cannot select ${unknown.map((f) => `"${f}"`).join(', ')}: no such field`,
        unknown.map((field) => ({ field, message: 'unknown field' })),
      );
    }
    return [...new Set(['id', ...fields])];
  }

  private present(row: Values, fields: readonly string[] = [...this.readable]): Values {
    return serialize(row, fields, (name) => this.rt.decl.fields[name]);
  }

  private nullable = (field: string): boolean => this.rt.decl.fields[field]?.allowsNull ?? true;

  private idOrNotFound(id: string): string {
    if (!UUID.test(id)) throw this.notFound(id);
    return id.toLowerCase();
  }

  private notFound(id: string): NotFoundError {
    return new NotFoundError(`No ${this.rt.decl.name} with id ${JSON.stringify(id)}`);
  }

  private async transaction<T>(work: (t: Transaction) => Promise<T>, outer?: Transaction): Promise<T> {
    return this.guarded(() => (outer ? work(outer) : this.deps.sequelize.transaction(work)));
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw fromDatabaseError(err, this.rt.decl.name) ?? err;
    }
  }
}
