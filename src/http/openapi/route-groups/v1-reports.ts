import { reportSchema } from '../../../services/export/report-generator';
import { joiToJsonSchema } from '../joi-schema';
import type { RouteGroup } from '../types';

export const v1ReportRoutes: RouteGroup = {
  tag: 'Reports',
  description: 'Records or grouped figures of an entity as a CSV or JSON download.',
  routes: () => [
    {
      method: 'post',
      path: '/api/v1/reports/generate',
      summary: "A report on an entity: its records, or with `group_by` each group's count and measures",
      description:
        "`entity` is a path (`leads`) or a name (`Lead`). Without `group_by` the report streams the matching records with `fields` (as an export does); with it the columns are the groups, `count` and `sum_<field>`, `avg_<field>`, … — `fields` does not go with `group_by`, and the measures need it. Within the caller's role scope and field allow-list. Reports and exports share a limit per user or API key (`EXPORT_RATE_LIMIT_MAX` per `RATE_LIMIT_WINDOW_MS`; refused requests do not count).",
      body: joiToJsonSchema(reportSchema),
      responses: {
        200: {
          description: 'The report, as an attachment',
          content: {
            'text/csv': {
              type: 'string',
              description: 'UTF-8 with a byte order mark: a header line, then one line per row',
            },
            'application/json': { type: 'array', items: { type: 'object' } },
          },
          headers: {
            'X-Report-Truncated': {
              description: '`true` when a grouped report stopped at the aggregation group limit',
              schema: { type: 'string', enum: ['true', 'false'] },
            },
            'Content-Disposition': {
              description: '`attachment; filename="<path>-report-<date>.<format>"`',
              schema: { type: 'string' },
            },
          },
        },
      },
    },
  ],
};
