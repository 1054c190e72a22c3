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
  const bind = (key: string) => ({
    value: filters[key] ?? '',
    onChange: (e: { target: { value: string } }) => onChange(key, e.target.value),
  });
  switch (filterControl(field)) {
    case 'choice':
      return (
        <label htmlFor={id}>
          {label}
          <select id={id} {...bind(field.name)}>
            <option value="">Any</option>
            {field.values?.map((v) => (
              <option key={v} value={v}>
                {v.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
      );
    case 'boolean':
      return (
        <label htmlFor={id}>
          {label}
          <select id={id} {...bind(field.name)}>
            <option value="">Any</option>
            <option value="true">Yes</option>
            <option value="false">No</option>
          </select>
        </label>
      );
    case 'number-range':
      return (
        <fieldset>
          <legend>{label}</legend>
          <label>
            from <input type="number" aria-label={`${label} from`} {...bind(`${field.name}.min`)} />
          </label>
          <label>
            to <input type="number" aria-label={`${label} to`} {...bind(`${field.name}.max`)} />
          </label>
        </fieldset>
      );
    case 'date-range':
      return (
        <fieldset>
          <legend>{label}</legend>
          <label>
            from <input type="date" aria-label={`${label} from`} {...bind(`${field.name}.from`)} />
          </label>
          <label>
            to <input type="date" aria-label={`${label} to`} {...bind(`${field.name}.to`)} />
          </label>
        </fieldset>
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
