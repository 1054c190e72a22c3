import { screen, type Signals } from '../../src/services/intake/spam-rules';

const quiet: Signals = { duplicateEmail: false, duplicatePhone: false, recentFromSource: 0, recentFromIp: 0 };
const clean = {
  email: 'ada@example.com',
  phone: '+1 555 010 2030',
  names: ['Ada', 'Lovelace'],
  honeypot: '',
};

describe('spam rules', () => {
  it.each([
    ['a clean submission', {}, {}, 0, []],
    ['a filled honeypot', { honeypot: 'x' }, {}, 100, ['honeypot']],
    ['a disposable domain', { email: 'x@Mailinator.com' }, {}, 60, ['disposable_email']],
    ['a malformed email', { email: 'x@localhost' }, {}, 60, ['invalid_email']],
    ['a missing email', { email: undefined }, {}, 60, ['invalid_email']],
    ['letters in a phone', { phone: 'call me' }, {}, 30, ['invalid_phone']],
    ['too few digits', { phone: '12345' }, {}, 30, ['invalid_phone']],
    ['a phone with an extension', { phone: '+1 555 0100 ext. 12' }, {}, 0, []],
    ['a link in a name', { names: ['www.win.example'] }, {}, 40, ['link_in_name']],
    ['a duplicate email', {}, { duplicateEmail: true }, 50, ['duplicate_email']],
    ['a duplicate phone', {}, { duplicatePhone: true }, 50, ['duplicate_phone']],
    ['a burst from the source', {}, { recentFromSource: 5 }, 50, ['burst_source']],
    ['a burst from the IP', {}, { recentFromIp: 5 }, 50, ['burst_ip']],
    ['one below the burst limit', {}, { recentFromSource: 4, recentFromIp: 4 }, 0, []],
    [
      'several at once (capped)',
      { honeypot: 'y', email: 'x@yopmail.com' },
      {},
      100,
      ['honeypot', 'disposable_email'],
    ],
  ])('scores %s', (_name, submission, signals, score, reasons) => {
    expect(screen({ ...clean, ...submission }, { ...quiet, ...signals }, 5)).toEqual({ score, reasons });
  });
});
