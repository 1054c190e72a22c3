import { csvCell, csvLine } from '../../src/services/export/spreadsheet-safe-csv';

describe('csvCell', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+33 6 12 34 56 78', "'+33 6 12 34 56 78"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', '"\'\rcmd"'],
    ['=HYPERLINK("http://evil.example","x")', '"\'=HYPERLINK(""http://evil.example"",""x"")"'],
  ])('neutralises %j as text a spreadsheet will not evaluate', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('leaves ordinary text, numbers and booleans as they are', () => {
    expect(csvCell('Acme Corp')).toBe('Acme Corp');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-42.5)).toBe('-42.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks, and writes lists and objects as JSON', () => {
    expect(csvCell('Smith, John')).toBe('"Smith, John"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(['vip', 'eu'])).toBe('"[""vip"",""eu""]"');
    expect(csvCell({ tier: 'gold' })).toBe('"{""tier"":""gold""}"');
  });
});

it('csvLine joins cells with commas and ends with CRLF', () => {
  expect(csvLine(['id', '=x', 3, null])).toBe("id,'=x,3,\r\n");
});
