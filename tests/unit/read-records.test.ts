import { Readable } from 'node:stream';
import { readRecords, type SourceRecord } from '../../src/services/import/read-records';

/** The text as a stream of tiny chunks, so items, strings and escapes are split across reads. */
const trickle = (text: string, size = 3) => {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
};

const all = async (text: string, size?: number): Promise<SourceRecord[]> => {
  const out: SourceRecord[] = [];
  for await (const r of readRecords(trickle(text, size), 'json')) out.push(r);
  return out;
};

describe('JSON import records', () => {
  const items = [
    { email: 'a@example.com', notes: 'braces } ] { [ and "quotes" \\ backslashes' },
    { email: 'b@example.com', custom_fields: { nested: [1, { deep: '}' }] }, name: 'Zoë 🚀' },
  ];

  it.each([1, 2, 3, 7, 64])('streams an array read %i bytes at a time', async (size) => {
    const records = await all(`\uFEFF \n${JSON.stringify(items, null, 2)}\n`, size);
    expect(records).toEqual(items.map((values, i) => ({ row: i + 1, values })));
  });

  it('reads { records: [...] } whole', async () => {
    expect(await all(JSON.stringify({ records: items }))).toHaveLength(2);
  });

  it.each([
    ['[{"a":1}, 2]', /Item 2 is not a record/],
    ['[{"a":1}, {"b":', /not valid JSON/],
    ['[{"a": tru}]', /not valid JSON/],
    ['{"nope": []}', /array of records/],
    ['', /not valid JSON/],
  ])('refuses %j', async (text, message) => {
    await expect(all(text)).rejects.toThrow(message);
  });
});
