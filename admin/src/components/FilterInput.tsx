import { filterControl } from '../lib/list-query';
import { labelOf, type FieldMeta } from '../lib/meta';

interface Props {
  field: FieldMeta;
  filters: Record<string, string>;
  onChange: (key: string, value: string) => void;
}

/** The filter a field's type calls for: an enum picker, yes/no, a numeric or date range, or text. */
export function FilterInput({ field, filters, onChange }: Props) {
  const label = labelOf(field.name);
  const id = `filter-${field.name}`;
  const bind: Bind = (key) => ({
    value: filters[key] ?? '',
    onChange: (e: { target: { value: string } }) => onChange(key, e.target.value),
  });
  const control = filterControl(field);
  switch (control) {
    case 'choice':
    case 'boolean': {
      const options: (readonly [string, string])[] =
        control === 'boolean'
          ? [
              ['true', 'Yes'],
              ['false', 'No'],
            ]
          : (field.values ?? []).map((v) => [v, v.replace(/_/g, ' ')] as const);
      return (
        <label htmlFor={id}>
          {label}
          <select id={id} {...bind(field.name)}>
            <option value="">Any</option>
            {options.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
      );
    }
    case 'number-range':
      return (
        <Range label={label} type="number" bind={bind} from={`${field.name}.min`} to={`${field.name}.max`} />
      );
    case 'date-range':
      return (
        <Range label={label} type="date" bind={bind} from={`${field.name}.from`} to={`${field.name}.to`} />
      );
    case 'text':
    case 'id':
      return (
        <label htmlFor={id}>
          {label}
          <input id={id} type="search" {...bind(field.name)} />
        </label>
      );
    default:
      return null;
  }
}

type Bind = (key: string) => { value: string; onChange: (e: { target: { value: string } }) => void };

/** A from–to pair of inputs bound to the filter keys `from` and `to`. */
function Range({
  label,
  type,
  bind,
  from,
  to,
}: {
  label: string;
  type: 'number' | 'date';
  bind: Bind;
  from: string;
  to: string;
}) {
  return (
    <fieldset>
      <legend>{label}</legend>
      <label>
        from <input type={type} aria-label={`${label} from`} {...bind(from)} />
      </label>
      <label>
        to <input type={type} aria-label={`${label} to`} {...bind(to)} />
      </label>
    </fieldset>
  );
}
