/** Money arithmetic in whole cents, so totals never pick up binary floating-point noise. */
export const toCents = (amount: unknown): number => Math.round(Number(amount ?? 0) * 100);
export const fromCents = (cents: number): number => cents / 100;

/** A human-friendly, practically unique record number such as ORD-20261122-7K3QZP. */
export function recordNumber(prefix: string, now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const random = Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .toUpperCase()
    .padStart(6, '0');
  return `${prefix}-${day}-${random}`;
}
