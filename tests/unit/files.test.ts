import { displayName } from '../../src/services/files/display-name';
import { sniffType } from '../../src/services/files/sniff';
import { contentDisposition } from '../../src/services/storage/content-disposition';
import { CSV, HTML, PDF, PNG } from '../helpers/files';

describe('sniffType', () => {
  it.each([
    [PNG, 'a.png', 'image/png'],
    [PNG, 'not-really.pdf', 'image/png'],
    [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'a.jpg', 'image/jpeg'],
    [Buffer.from('GIF89a....'), 'a.gif', 'image/gif'],
    [Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'a.webp', 'image/webp'],
    [PDF, 'a.pdf', 'application/pdf'],
    [CSV, 'people.csv', 'text/csv'],
    [Buffer.from('{"a": 1}'), 'data.json', 'application/json'],
    [Buffer.from('plain words'), 'notes', 'text/plain'],
    [HTML, 'cat.png', 'text/html'],
    [Buffer.from('\uFEFF  <svg onload=alert(1)>'), 'logo.txt', 'text/html'],
    [
      Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.from('[Content_Types].xml')]),
      'deck.pptx',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    [Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]), 'archive.zip', 'application/zip'],
    [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'old.xls', 'application/vnd.ms-excel'],
    [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]), 'program', 'application/octet-stream'],
  ])('%#: %s named %s is %s', (bytes, name, type) => {
    expect(sniffType(bytes, name)).toBe(type);
  });

  it('accepts text whose last character is cut by the sniffing window', () => {
    const text = Buffer.from('café'.repeat(1000));
    expect(sniffType(text.subarray(0, text.length - 1), 'menu.txt')).toBe('text/plain');
  });
});

describe('displayName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['.hidden', 'hidden'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
    ['we<i>rd:"na|me?*.txt', 'we_i_rd__na_me__.txt'],
    ['', 'file'],
    [undefined, 'file'],
  ])('%j → %j', (input, output) => {
    expect(displayName(input)).toBe(output);
  });
});

it('writes Content-Disposition that survives any file name', () => {
  expect(contentDisposition('attachment', 'Résumé "final".pdf')).toBe(
    `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
  );
});
