import common from '../../src/auth/common-passwords.json';
import { isCommonPassword, passwordRule } from '../../src/auth/password-policy';

describe('the common-password list', () => {
  it('holds a few thousand lowercased entries, none shorter than the length rule', () => {
    expect(common.length).toBeGreaterThanOrEqual(3000);
    expect(new Set(common).size).toBe(common.length);
    expect(common.every((p) => p === p.toLowerCase() && p.length >= 8)).toBe(true);
  });

  it('matches regardless of case', () => {
    for (const p of ['password', 'PASSWORD', 'Password1', 'qwertyuiop', 'iloveyou1', '12345678']) {
      expect({ p, common: isCommonPassword(p) }).toEqual({ p, common: true });
    }
    expect(isCommonPassword('correct-horse-battery')).toBe(false);
  });
});

describe('passwordRule', () => {
  const check = (value: unknown) => passwordRule.label('password').validate(value).error?.message;

  it('accepts a long, uncommon password', () => {
    expect(check('a sturdy passphrase')).toBeUndefined();
  });

  it.each([
    ['too short', 'abc123!', /at least 8/],
    ['too long', 'x'.repeat(129), /less than or equal to 128/],
    ['common', 'Sunshine1', /most common passwords/],
    ['not a string', 12345678, /must be a string/],
  ])('refuses one that is %s', (_name, value, message) => {
    expect(check(value)).toMatch(message);
  });
});
