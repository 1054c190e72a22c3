/**
 * Users' rows as the caller lookup reads them, kept per instance — but only while the instance is sure to hear
 * of every change to them: its own writes (model hooks, after commit) and everyone else's (a PostgreSQL
 * notification from a trigger on `users`; see hearUserChanges). Whenever that channel is down, nothing is
 * served from here, so a deactivation, role change or "sign out everywhere" is never missed; it applies at the
 * next request on this instance, and on the others as soon as the notification arrives (milliseconds).
 */
export class CallerCache<Row extends { id: string }> {
  private readonly rows = new Map<string, { row: Row; at: number }>();
  /**
   * The reads in flight, by user: a change heard while one runs removes its entry, and a read stores what it
   * read only if its entry is still there. A change to one user does not discard reads of others.
   */
  private readonly loading = new Map<string, object>();
  private hearing = false;

  constructor(private readonly o: { ttlMs: number; maxEntries: number }) {}

  /** Whether rows are served from here (changes can be heard). */
  get active(): boolean {
    return this.hearing && this.o.ttlMs > 0;
  }

  /**
   * The user's row: from here when fresh, else from `load`, kept unless a change was heard while it loaded.
   * `undefined` (no such user) is not kept.
   */
  async read(userId: string, load: () => Promise<Row | undefined>): Promise<Row | undefined> {
    if (!this.active) return load();
    const kept = this.rows.get(userId);
    if (kept && Date.now() - kept.at < this.o.ttlMs) return kept.row;
    const ticket = {};
    this.loading.set(userId, ticket);
    try {
      const row = await load();
      if (row && this.active && this.loading.get(userId) === ticket) this.keep(row);
      return row;
    } finally {
      if (this.loading.get(userId) === ticket) this.loading.delete(userId);
    }
  }

  /** A change to this user (or, without an id, to any number of users). */
  forget(userId?: string): void {
    if (userId === undefined) {
      this.rows.clear();
      this.loading.clear();
    } else {
      this.rows.delete(userId);
      this.loading.delete(userId);
    }
  }

  /** Whether changes can be heard now. Either way what was kept is dropped: changes may have gone unheard. */
  setHearing(hearing: boolean): void {
    this.hearing = hearing;
    this.forget();
  }

  private keep(row: Row): void {
    this.rows.delete(row.id);
    // A Map keeps insertion order: beyond the bound, drop the row kept longest ago.
    if (this.rows.size >= this.o.maxEntries) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(row.id, { row, at: Date.now() });
  }
}
