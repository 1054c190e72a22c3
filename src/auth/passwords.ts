import { BcryptPool } from './bcrypt-pool';

/**
 * bcrypt hashing, on worker threads (see BcryptPool). Unknown accounts are checked against a real hash so
 * every login costs the same time.
 */
export class Passwords {
  private readonly decoy: Promise<string>;

  constructor(
    private readonly rounds: number,
    private readonly pool = new BcryptPool(),
  ) {
    this.decoy = pool.hash('decoy password that never matches', rounds);
    // Awaited at the first unknown account; a pool closed before then must not be an unhandled rejection.
    this.decoy.catch(() => undefined);
  }

  hash = (plain: string): Promise<string> => this.pool.hash(plain, this.rounds);

  async verify(plain: string, hash: string | null | undefined): Promise<boolean> {
    const ok = await this.pool.compare(plain, hash ?? (await this.decoy));
    return ok && Boolean(hash);
  }

  /** Stops the hashing threads. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
