import Joi from 'joi';
import type { Actor } from '../../context';
import { MAX_GROUPS, parseAggregateSpec } from '../../crud/aggregate';
import type { EntityRegistry } from '../../crud/registry';
import type { CrudServices } from '../../crud/services';
import { validate } from '../../crud/validation';
import { ValidationError } from '../../errors';
import {
  CONTENT_TYPES,
  chunkStream,
  EXPORT_FORMATS,
  encodeRows,
  fileName,
  type ExportFile,
  type ExportFormat,
  type RecordExport,
} from './record-export';

const names = Joi.array().items(Joi.string().max(100)).max(50);
const MEASURES = ['sum', 'avg', 'min', 'max'] as const;

const reportSchema = Joi.object({
  entity: Joi.string().max(100).required(),
  format: Joi.string()
    .valid(...EXPORT_FORMATS)
    .default('csv'),
  filter: Joi.object().unknown(true),
  search: Joi.string().allow('').max(200),
  fields: names.min(1),
  sort: Joi.string().max(200),
  group_by: names.min(1).max(10),
  sum: names,
  avg: names,
  min: names,
  max: names,
});

/** With grouping the columns are the groups and the measures; without it, the records' fields. */
function refuseMixedShapes(r: ReportRequest): void {
  if (r.group_by && r.fields) {
    throw new ValidationError(
      "A grouped report's columns are its groups and measures: send group_by or fields, not both",
      [{ field: 'fields', message: 'not used with group_by' }],
    );
  }
  const stray = MEASURES.filter((m) => r[m] && !r.group_by);
  if (stray.length) {
    throw new ValidationError(
      `${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} computed per group: add group_by`,
      stray.map((field) => ({ field, message: 'needs group_by' })),
    );
  }
}

interface ReportRequest {
  entity: string;
  format: ExportFormat;
  filter?: Record<string, unknown>;
  search?: string;
  fields?: string[];
  sort?: string;
  group_by?: string[];
  sum?: string[];
  avg?: string[];
  min?: string[];
  max?: string[];
}

/** A report file, and whether a grouped report stopped at the group limit. */
export type Report = ExportFile & { truncated: boolean };

/**
 * `POST /reports/generate`: the records of an entity (as an export streams them), or their groups with
 * counts and measures computed by the aggregation engine — both within the caller's role scope and
 * field allow-list.
 */
export class ReportGenerator {
  constructor(
    private readonly crud: CrudServices,
    private readonly registry: EntityRegistry,
    private readonly records: RecordExport,
  ) {}

  async generate(actor: Actor, body: unknown): Promise<Report> {
    const r = validate(reportSchema, (body ?? {}) as Record<string, unknown>, {
      entityName: 'report',
      stripUnknown: false,
    }) as unknown as ReportRequest;
    refuseMixedShapes(r);
    const rt = this.registry.byPath(r.entity) ?? this.registry.byName(r.entity);
    if (!rt) {
      throw new ValidationError(`There is no entity "${r.entity}" to report on`, [
        { field: 'entity', message: 'use an entity path such as leads or deals' },
      ]);
    }
    if (!r.group_by) {
      const file = await this.records.open(actor, rt, r, r.format, `${rt.decl.path}-report`);
      return { ...file, truncated: false };
    }
    const { rows, truncated } = await this.crud.for(actor, rt).aggregate(
      parseAggregateSpec({
        filter: r.filter,
        search: r.search,
        groupBy: r.group_by,
        count: true,
        ...Object.fromEntries(MEASURES.map((m) => [m, r[m] ?? []])),
        sort: r.sort,
        limit: MAX_GROUPS,
      }),
    );
    const columns = [
      ...r.group_by,
      'count',
      ...MEASURES.flatMap((m) => (r[m] ?? []).map((name) => `${m}_${name}`)),
    ];
    // At most MAX_GROUPS rows, already in memory from one GROUP BY query.
    async function* once() {
      yield rows;
    }
    return {
      contentType: CONTENT_TYPES[r.format],
      filename: fileName(`${rt.decl.path}-report`, r.format),
      body: chunkStream(encodeRows(columns, once(), r.format)),
      truncated,
    };
  }
}

/** The request schemas, for the OpenAPI document (src/http/openapi). */
export { reportSchema };
