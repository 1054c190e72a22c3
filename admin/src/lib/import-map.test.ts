import { describe, expect, it } from 'vitest';
import { applyMapping, detectMapping, duplicateTargets, formatOf, parseCsv, preview } from './import-map';
import { field as fieldOf } from '../test-support';

const field = (name: string, writable = true) => fieldOf(name, 'string', { writable });
const FIELDS = [
  field('id', false),
  field('first_name'),
  field('email'),
  field('company'),
  field('score', false),
];

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, embedded newlines, CRLF and a BOM, skipping empty lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['1', ''],
    ]);
  });
});

describe('formatOf', () => {
  it('decides by type or extension', () => {
    expect(formatOf({ name: 'leads.CSV', type: '' })).toBe('csv');
    expect(formatOf({ name: 'x', type: 'application/json' })).toBe('json');
    expect(formatOf({ name: 'x.xlsx', type: 'application/vnd.ms-excel' })).toBeUndefined();
  });
});

describe('preview and mapping', () => {
  it('detects the header → field mapping as the server compares names, writable fields only', () => {
    const p = preview('csv', 'First Name,E-Mail,email,Score,Notes\nAda,a@x.io,b@x.io,3,hi\n');
    expect(p.headers).toEqual(['First Name', 'E-Mail', 'email', 'Score', 'Notes']);
    expect(p.sample).toEqual([
      { 'First Name': 'Ada', 'E-Mail': 'a@x.io', email: 'b@x.io', Score: '3', Notes: 'hi' },
    ]);
    expect(p.records).toBe(1);
    expect(detectMapping(p.headers, FIELDS)).toEqual({
      'First Name': 'first_name',
      'E-Mail': '',
      email: 'email',
      Score: '',
      Notes: '',
    });
  });

  it('previews a JSON array with the union of its keys and refuses anything else', () => {
    const p = preview('json', '[{"first_name":"Ada","tags":["a"]},{"mail":"b@x.io"}]');
    expect(p.headers).toEqual(['first_name', 'tags', 'mail']);
    expect(p.sample[0]).toEqual({ first_name: 'Ada', tags: '["a"]', mail: '' });
    expect(() => preview('json', '{"a":1}')).toThrow('A JSON import is an array of records');
    expect(() => preview('json', '[')).toThrow('The file is not valid JSON');
  });

  it('names fields that two columns would fill', () => {
    expect(duplicateTargets({ a: 'email', b: 'email', c: '', d: 'company' })).toEqual(['email']);
  });
});

describe('applyMapping', () => {
  it('renames CSV headers to the chosen fields and leaves out unmapped columns, keeping record order', () => {
    const csv = 'Given,Mail,Junk\n"Lovelace, Ada",a@x.io,zzz\nGrace,,q\n';
    expect(applyMapping('csv', csv, { Given: 'first_name', Mail: 'email', Junk: '' })).toBe(
      'first_name,email\r\n"Lovelace, Ada",a@x.io\r\nGrace,\r\n',
    );
  });

  it('renames JSON keys the same way', () => {
    expect(
      JSON.parse(
        applyMapping('json', '[{"Given":"Ada","Junk":1},{"Mail":"m@x.io"}]', {
          Given: 'first_name',
          Mail: 'email',
          Junk: '',
        }),
      ),
    ).toEqual([{ first_name: 'Ada' }, { email: 'm@x.io' }]);
  });
});
