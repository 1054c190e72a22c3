import crypto from 'node:crypto';

/** A small seeded PRNG (mulberry32): the same seed yields the same demo data on every machine. */
export class Random {
  private state: number;

  constructor(seed: string) {
    this.state = crypto.createHash('sha256').update(seed).digest().readUInt32LE(0);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `weighted([['new', 5], ['lost', 1]])`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1]![0];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  money(min: number, max: number): number {
    return Math.round((min + this.next() * (max - min)) * 100) / 100;
  }

  /** A moment within the last `days` days before `now`. */
  pastDate(now: Date, days: number): Date {
    return new Date(now.getTime() - Math.floor(this.next() * days * 86_400_000));
  }
}

/** A stable UUID (version 5 layout) for a seeded row, so seeding twice inserts nothing new. */
export function stableId(...parts: string[]): string {
  const h = crypto.createHash('sha1').update(parts.join('/')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
