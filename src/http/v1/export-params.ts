import { InvalidQueryError } from '../../errors';
import { EXPORT_FORMATS, type ExportFormat, type ExportQuery } from '../../services/export/record-export';
import { parseListParams } from './list-params';

/** An export streams every matching record: paging parameters have no meaning there. */
const PAGING = ['page', 'offset', 'limit', 'cursor', 'count'];

/** `?format=csv|json` plus the list filters, `search`, `sort` and `fields` → what to export. */
export function parseExportParams(query: Record<string, unknown>): { format: ExportFormat; q: ExportQuery } {
  const { format = 'csv', ...rest } = query;
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidQueryError('"format" must be csv or json', [
      { field: 'format', message: `got ${JSON.stringify(format)}` },
    ]);
  }
  const paging = PAGING.filter((name) => name in rest);
  if (paging.length) {
    throw new InvalidQueryError(
      `An export includes every matching record: leave out ${paging.map((p) => `"${p}"`).join(', ')}`,
      paging.map((field) => ({ field, message: 'not used by exports' })),
    );
  }
  const { filter, search, sort, fields } = parseListParams(rest);
  return { format: format as ExportFormat, q: { filter, search, sort, fields } };
}
