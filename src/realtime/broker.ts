import type { Actor } from '../context';
import { readableBy, readableFields, scopeOf } from '../crud/policy';
import type { EntityRegistry, EntityRuntime } from '../crud/registry';
import { serialize } from '../crud/serialize';
import { InvalidQueryError, ServiceUnavailableError, UnauthorizedError } from '../errors';
import type { ChangeType, RecordBatch, RecordChange } from '../events';
import type { Logger } from '../logger';
import type { ChangeFeed } from './change-feed';
import type { Identity } from './identity';

/** One committed change as one subscriber may see it. */
export interface Delivery {
  entity: string;
  type: ChangeType;
  id: string;
  timestamp: string;
  /** The record in /api/v1 shape (for a delete, as it was), without the fields the subscriber may not read. */
  record: Record<string, unknown>;
  /** The change it came from — the same object for every subscriber, so a transport can reshape it once. */
  change: RecordChange;
}

/** The transport's side of a subscription (a socket, an event stream). */
export interface SubscriberSink {
  /** A subscriber's deliveries come one at a time in the order the changes committed: the next waits for this. */
  deliver(delivery: Delivery): void | Promise<void>;
  /** The broker ended the subscription: account deactivated, session ended, token expired, shutdown. */
  end(reason: string): void;
}

export interface BrokerDeps {
  feed: ChangeFeed;
  registry: EntityRegistry;
  /** The actor and their direct reports (`Directory.teamOf`). */
  teamOf(actor: Actor): Promise<string[]>;
  /** How long a subscriber's checked access (account, session, role, team) is trusted, in ms. */
  recheckMs: number;
  logger: Logger;
}

interface Access {
  actor: Actor;
  team: readonly string[];
  checkedAt: number;
}

const SHUTTING_DOWN = 'The server is shutting down: reconnect in a moment';

/** A batch's records are read this many at a time, so expanding a 100,000-row import stays small. */
const BATCH_READ = 500;

/** What a subscription needs of its broker. */
interface Hub {
  deps: BrokerDeps;
  detach(sub: Subscription): void;
}

/**
 * One connection's interest in some entities' changes. Each change is checked against the subscriber's
 * access as it is now — the same rule as a GET of that record — before it is delivered.
 */
export class Subscription {
  private readonly entities = new Set<string>();
  private access: Access | undefined;
  private queue: Promise<void> = Promise.resolve();
  private ended = false;
  private readonly expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: Hub,
    readonly identity: Identity,
    private readonly sink: SubscriberSink,
  ) {
    if (identity.expiresAt !== undefined) {
      this.expiry = setTimeout(
        () => this.end('The access token has expired: sign in again'),
        Math.max(0, identity.expiresAt - Date.now()),
      );
      this.expiry.unref();
    }
  }

  get userId(): string {
    return this.identity.actor.userId;
  }

  /**
   * Starts receiving an entity's changes (again: no effect). An undeclared entity is a 400, one the role
   * (or API key) may not read at all a 403 — both thrown, for the transport to report.
   */
  follow(name: string): void {
    const rt = this.hub.deps.registry.byName(name);
    if (!rt) {
      throw new InvalidQueryError(
        `No entity named ${JSON.stringify(name)} (names are PascalCase, as in Lead or LinkAnalytics)`,
      );
    }
    scopeOf(rt.decl, this.access?.actor ?? this.identity.actor, 'read');
    this.entities.add(rt.decl.name);
  }

  unfollow(name: string): void {
    this.entities.delete(name);
  }

  follows(entity: string): boolean {
    return this.entities.has(entity);
  }

  /** The transport is done with it (the client went away). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.expiry);
    this.hub.detach(this);
  }

  /** Ends it from the server's side, telling the subscriber why. */
  end(reason: string): void {
    if (this.ended) return;
    this.close();
    this.sink.end(reason);
  }

  offer(change: RecordChange, rt: EntityRuntime): void {
    this.enqueue(async () => {
      const access = await this.current();
      // Owner fields may be hidden from the record, so the check reads the full stored row.
      if (!access || !readableBy(rt.decl, access.actor, change.stored, access.team)) return;
      await this.sink.deliver({
        entity: rt.decl.name,
        type: change.type,
        id: change.id,
        timestamp: change.timestamp,
        record: readableFields(rt.decl, access.actor, change.record),
        change,
      });
    });
  }

  /** Forgets the checked access, so the next delivery reads it again (e.g. the team changed). */
  stale(): void {
    this.access = undefined;
  }

  /** Checks access now, ending the subscription if the subscriber may no longer receive. */
  recheckNow(): void {
    this.stale();
    this.enqueue(async () => void (await this.current()));
  }

  private async current(): Promise<Access | undefined> {
    if (this.ended) return undefined;
    if (this.access && Date.now() - this.access.checkedAt < this.hub.deps.recheckMs) return this.access;
    try {
      const actor = await this.identity.recheck();
      const team = await this.hub.deps.teamOf(actor);
      if (this.ended) return undefined;
      this.access = { actor, team, checkedAt: Date.now() };
      return this.access;
    } catch (err) {
      if (!(err instanceof UnauthorizedError)) throw err;
      this.end(err.message);
      return undefined;
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      // A failed check or send skips that one delivery; the subscription and its order stay intact.
      this.hub.deps.logger.error(
        `Realtime delivery to user ${this.userId} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }
}

/**
 * Routes committed changes to the subscriptions of their organization that follow their entity. Listens to
 * the change feed once; transports (socket.io for Base44 apps, Server-Sent Events for /api/v1) only
 * connect subscriptions and render what they are handed.
 */
export class RealtimeBroker {
  private readonly byOrganization = new Map<string, Set<Subscription>>();
  private readonly stopListening: (() => void)[];
  private readonly hub: Hub;
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;
  /** While a batch's records are being read, later changes wait behind it so deliveries keep commit order. */
  private backlog: Promise<void> | undefined;

  constructor(private readonly deps: BrokerDeps) {
    this.hub = { deps, detach: (sub) => this.detach(sub) };
    this.stopListening = [deps.feed.on(this.onChange), deps.feed.onBatch(this.onBatch)];
  }

  connect(identity: Identity, sink: SubscriberSink): Subscription {
    if (this.stopped) throw new ServiceUnavailableError(SHUTTING_DOWN);
    const sub = new Subscription(this.hub, identity, sink);
    const organizationId = identity.actor.organizationId;
    const subs = this.byOrganization.get(organizationId) ?? new Set();
    subs.add(sub);
    this.byOrganization.set(organizationId, subs);
    if (!this.sweeper) {
      this.sweeper = setInterval(this.sweep, this.deps.recheckMs);
      this.sweeper.unref();
    }
    return sub;
  }

  /** Ends every subscription (their streams close, so the HTTP server can drain) and refuses new ones. */
  stop(): void {
    this.stopped = true;
    for (const stop of this.stopListening) stop();
    for (const subs of [...this.byOrganization.values()]) for (const sub of [...subs]) sub.end(SHUTTING_DOWN);
  }

  private detach(sub: Subscription): void {
    const organizationId = sub.identity.actor.organizationId;
    const subs = this.byOrganization.get(organizationId);
    subs?.delete(sub);
    if (subs?.size === 0) this.byOrganization.delete(organizationId);
    if (this.byOrganization.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private onChange = (change: RecordChange): void => {
    if (this.backlog) this.after(async () => this.route(change));
    else this.route(change);
  };

  /**
   * A batch names its records by id: when someone in the organization follows the entity, they are read
   * a page at a time and routed as single changes, so subscribers see the same events as for single creates.
   */
  private onBatch = (batch: RecordBatch): void => {
    const rt = this.deps.registry.byName(batch.entity);
    // New users matter to their managers' subscriptions (team changes) even when nobody follows User.
    const wanted =
      rt?.decl.name === 'User'
        ? this.byOrganization.has(batch.organizationId)
        : rt && this.followed(batch.organizationId, rt.decl.name);
    if (!rt || !wanted) return;
    this.after(async () => {
      for (let i = 0; i < batch.ids.length; i += BATCH_READ) {
        const ids = batch.ids.slice(i, i + BATCH_READ);
        const rows = (await rt.model.findAll({
          where: { organization_id: batch.organizationId, id: ids },
          raw: true,
        })) as unknown as Record<string, unknown>[];
        const byId = new Map(rows.map((r) => [r.id as string, r]));
        for (const id of ids) {
          const stored = byId.get(id);
          // Gone already (deleted since): its delete follows, and there is nothing to show of it.
          if (!stored) continue;
          this.route({
            type: 'create',
            entity: rt.decl.name,
            organizationId: batch.organizationId,
            id,
            record: serialize(stored, rt.visible, (name) => rt.decl.fields[name]),
            stored,
            actor: batch.actor,
            timestamp: batch.timestamp,
          });
        }
      }
    });
  };

  private followed(organizationId: string, entity: string): boolean {
    for (const sub of this.byOrganization.get(organizationId) ?? []) if (sub.follows(entity)) return true;
    return false;
  }

  private after(work: () => Promise<void>): void {
    const next = (this.backlog ?? Promise.resolve()).then(work).catch((err: unknown) => {
      this.deps.logger.error(
        `Realtime: could not route a batch of changes: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    this.backlog = next;
    void next.then(() => {
      if (this.backlog === next) this.backlog = undefined;
    });
  }

  private route = (change: RecordChange): void => {
    const subs = this.byOrganization.get(change.organizationId);
    if (!subs) return;
    if (change.entity === 'User') this.onUserChange(change, subs);
    const rt = this.deps.registry.byName(change.entity);
    if (!rt) return;
    for (const sub of subs) if (sub.follows(rt.decl.name)) sub.offer(change, rt);
  };

  /**
   * A person's account changed: their own subscriptions are checked at once (deactivated, sessions ended,
   * role changed), and a manager who gained or lost a report reads their team again.
   */
  private onUserChange(change: RecordChange, subs: Set<Subscription>): void {
    const managers = new Set<unknown>();
    const before = change.previous?.manager_id;
    const after = change.stored.manager_id;
    if (change.type !== 'update' || before !== after) {
      managers.add(before);
      managers.add(after);
    }
    for (const sub of subs) {
      if (sub.userId === change.id) sub.recheckNow();
      else if (managers.has(sub.userId)) sub.stale();
    }
  }

  /**
   * Some ways of ending sessions write the user directly rather than through the change feed (signing
   * out everywhere, changing one's password), so every subscriber is also checked again periodically.
   */
  private sweep = (): void => {
    for (const subs of this.byOrganization.values()) for (const sub of subs) sub.recheckNow();
  };
}
