import type { Actor } from '../../context';
import { MAX_GROUPS, parseAggregateSpec } from '../../crud/aggregate';
import type { CrudServices } from '../../crud/services';
import type { Metric } from '../../entities/goal';
import { METRIC_SOURCES } from './metrics';
import { rangeFilter, type Range } from './periods';

/** Each person's value of one metric in a period (0 when they have none). */
export type Figures = Map<string, number>;

/**
 * One metric for a set of people in a period, as one GROUP BY over the metric's owner field, read through
 * `reader`'s CrudService (organization and role scope apply). People are asked for in chunks well below
 * the aggregation's group limit, so no one is cut off.
 */
export async function metricFigures(
  crud: CrudServices,
  reader: Actor,
  metric: Metric,
  people: readonly string[],
  range: Range,
): Promise<Figures> {
  const source = METRIC_SOURCES[metric];
  const service = crud.for(reader, source.entity);
  const figures: Figures = new Map(people.map((id) => [id, 0]));
  const chunk = MAX_GROUPS / 2;
  for (let i = 0; i < people.length; i += chunk) {
    const ids = people.slice(i, i + chunk);
    const { rows } = await service.aggregate(
      parseAggregateSpec({
        filter: { ...source.filter, ...rangeFilter(source.at, range), [source.person]: { $in: ids } },
        groupBy: [source.person],
        count: true,
        sum: source.sum ? [source.sum] : [],
        limit: MAX_GROUPS,
      }),
    );
    for (const row of rows) {
      const value = source.sum ? row[`sum_${source.sum}`] : row.count;
      figures.set(row[source.person] as string, Number(value ?? 0));
    }
  }
  return figures;
}
