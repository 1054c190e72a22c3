import { AnalyzeDocumentCommand, TextractClient, type Block } from '@aws-sdk/client-textract';

type Row = Record<string, unknown>;

/** Textract's synchronous analysis takes documents up to this size (and single-page PDFs). */
export const TEXTRACT_MAX_BYTES = 10 * 1024 * 1024;

const children = (block: Block, byId: Map<string, Block>): Block[] =>
  (block.Relationships ?? [])
    .filter((r) => r.Type === 'CHILD')
    .flatMap((r) => r.Ids ?? [])
    .map((id) => byId.get(id))
    .filter((b): b is Block => b !== undefined);

/**
 * Reads a PDF's first table with AWS Textract, as rows keyed by its header row. A document without a
 * table gives one row holding its text, so a schema can still pick it up.
 */
export class TextractTables {
  private readonly client: TextractClient;

  constructor(region: string) {
    this.client = new TextractClient({ region });
  }

  async rows(bytes: Buffer): Promise<Row[]> {
    const out = await this.client.send(
      new AnalyzeDocumentCommand({ Document: { Bytes: bytes }, FeatureTypes: ['TABLES'] }),
    );
    const blocks = out.Blocks ?? [];
    const byId = new Map(blocks.filter((b) => b.Id).map((b) => [b.Id!, b]));
    const table = blocks.find((b) => b.BlockType === 'TABLE');
    if (!table) {
      const text = blocks.filter((b) => b.BlockType === 'LINE').map((b) => b.Text ?? '');
      return [{ text: text.join('\n') }];
    }
    const grid: string[][] = [];
    for (const cell of children(table, byId).filter((b) => b.BlockType === 'CELL')) {
      const text = children(cell, byId)
        .map((w) => w.Text ?? '')
        .join(' ')
        .trim();
      (grid[(cell.RowIndex ?? 1) - 1] ??= [])[(cell.ColumnIndex ?? 1) - 1] = text;
    }
    const [header = [], ...body] = grid;
    return body.map((cells) =>
      Object.fromEntries(header.map((h, i) => [h || `column_${i + 1}`, cells?.[i] ?? ''])),
    );
  }
}
