import { useApp } from '../context';
import { useAsync } from './useAsync';
import { labelOf, recordTitle, type FieldMeta } from '../lib/meta';

interface Props {
  field: FieldMeta;
  value: string | boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
}

/** A reference as a picker of the target's records when this user may list them, else an id box. */
function RefPicker({ field, value, onChange, describedBy }: Props & { describedBy?: string }) {
  const { api } = useApp();
  const target = field.ref ? api.entities[field.ref.entity] : undefined;
  const options = useAsync(async () => (target ? target.list(undefined, 100) : []), [field.ref?.entity]);
  const common = {
    id: `field-${field.name}`,
    'aria-invalid': Boolean(describedBy?.includes('error')),
    'aria-describedby': describedBy,
  };
  if (!target || options.error) {
    return (
      <input
        {...common}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
        placeholder="Record id"
      />
    );
  }
  return (
    <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
      <option value="">{options.loading ? 'Loading…' : '— none —'}</option>
      {/* The picker lists the first 100 records; the current one stays choosable if it is not among them. */}
      {value && !options.loading && !options.data?.some((r) => r.id === value) && (
        <option value={String(value)}>{String(value)}</option>
      )}
      {options.data?.map((r) => (
        <option key={String(r.id)} value={String(r.id)}>
          {recordTitle(r)}
        </option>
      ))}
    </select>
  );
}

const INPUT_TYPE: Partial<Record<FieldMeta['kind'], string>> = {
  email: 'email',
  url: 'url',
  phone: 'tel',
  integer: 'number',
  decimal: 'number',
  float: 'number',
  timestamp: 'datetime-local',
};

/** One form field generated from its declaration, with its label, hint and the server's message. */
export function FieldInput(props: Props) {
  const { field, value, error, onChange } = props;
  const id = `field-${field.name}`;
  const hintId = field.description ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.name,
    'aria-invalid': Boolean(error),
    'aria-describedby': describedBy,
    required: field.required,
  };
  let control;
  if (field.kind === 'boolean') {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  } else if (field.kind === 'enum') {
    control = (
      <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        <option value="">— choose —</option>
        {field.values?.map((v) => (
          <option key={v} value={v}>
            {v.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'ref') {
    control = <RefPicker {...props} describedBy={describedBy} />;
  } else if (field.kind === 'text' || field.kind === 'json') {
    control = (
      <textarea
        {...common}
        rows={field.kind === 'json' ? 4 : 3}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type={INPUT_TYPE[field.kind] ?? 'text'}
        step={
          field.kind === 'integer'
            ? 1
            : field.kind === 'decimal' || field.kind === 'float'
              ? 'any'
              : undefined
        }
        min={field.min}
        max={field.max}
        maxLength={field.kind === 'string' ? field.length : undefined}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>
        {labelOf(field.name)}
        {field.required && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      {field.kind === 'list' && <small>Separate values with commas.</small>}
      {hintId && <small id={hintId}>{field.description}</small>}
      {errorId && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
