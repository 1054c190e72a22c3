import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';
import type { FieldMeta } from './meta';

const field = (name: string): FieldMeta => ({
  name,
  kind: 'string',
  required: false,
  nullable: true,
  writable: true,
  searchable: false,
  sortable: true,
});

describe('toCsv', () => {
  it('writes a labelled header and quotes what needs quoting', () => {
    const csv = toCsv(
      [field('first_name'), field('notes'), field('tags')],
      [
        { first_name: 'Ada', notes: 'said "hi", then left', tags: ['a', 'b'] },
        { first_name: null, notes: 'two\nlines', tags: [] },
      ],
    );
    expect(csv).toBe(
      'First name,Notes,Tags\r\nAda,"said ""hi"", then left","[""a"",""b""]"\r\n,"two\nlines",[]\r\n',
    );
  });

  it('defuses values a spreadsheet would run as formulas', () => {
    expect(toCsv([field('name')], [{ name: '=HYPERLINK("x")' }, { name: '-1' }, { name: -1 }])).toBe(
      `Name\r\n"'=HYPERLINK(""x"")"\r\n'-1\r\n-1\r\n`,
    );
  });
});
