import bcrypt from 'bcryptjs';

/** bcrypt hashing. Unknown accounts are checked against a real hash so every login costs the same time. */
export class Passwords {
  private readonly decoy: string;

  constructor(private readonly rounds: number) {
    this.decoy = bcrypt.hashSync('decoy password that never matches', rounds);
  }

  hash = (plain: string): Promise<string> => bcrypt.hash(plain, this.rounds);

  async verify(plain: string, hash: string | null | undefined): Promise<boolean> {
    const ok = await bcrypt.compare(plain, hash ?? this.decoy);
    return ok && Boolean(hash);
  }
}
