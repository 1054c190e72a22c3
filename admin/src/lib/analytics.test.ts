import { describe, expect, it } from 'vitest';
import { goalPercent, metricValue, periodRange, personName, rankingPeriod } from './analytics';

describe('periodRange', () => {
  it('covers the last N UTC days with today included and an exclusive end', () => {
    expect(periodRange(7, new Date('2026-03-10T23:30:00Z'))).toEqual({
      from: '2026-03-04',
      to: '2026-03-11',
    });
    expect(periodRange(30, new Date('2026-03-01T00:00:00Z'))).toEqual({
      from: '2026-01-31',
      to: '2026-03-02',
    });
  });

  it('stays within the server limit of 366 days for a year', () => {
    const { from, to } = periodRange(365, new Date('2024-12-31T12:00:00Z'));
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(365);
  });
});

describe('dashboard helpers', () => {
  it('maps a dashboard period to the leaderboard period', () => {
    expect([7, 30, 90, 365, 12].map(rankingPeriod)).toEqual(['week', 'month', 'quarter', 'year', 'month']);
  });

  it('shows revenue as money, counts as numbers and hidden figures as a dash', () => {
    expect(metricValue('won_amount', 1234.4)).toBe(new Intl.NumberFormat().format(1234));
    expect(metricValue('calls', 3)).toBe('3');
    expect(metricValue('deals_won', null)).toBe('—');
  });

  it('caps the goal bar at 100% while the text shows the real progress', () => {
    expect(goalPercent({ ratio: 1.5, achieved: true })).toEqual({ bar: 100, text: '150%' });
    expect(goalPercent({ ratio: 0.257, achieved: false })).toEqual({ bar: 26, text: '26%' });
    expect(goalPercent({ ratio: null, achieved: true })).toEqual({ bar: 100, text: 'no target' });
  });

  it('names a person by name, else email', () => {
    expect(personName({ id: '1', first_name: 'Ada', last_name: null, email: 'a@x' })).toBe('Ada');
    expect(personName({ id: '1', first_name: null, last_name: null, email: 'a@x' })).toBe('a@x');
  });
});
