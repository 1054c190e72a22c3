import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/errors';
import { FieldInput } from '../components/FieldInput';
import { ErrorNote, Loading } from '../components/States';
import { useApp } from '../context';
import { fieldErrors, formFields, initialValues, toBody, type FormValues } from '../lib/form-model';
import { labelOf, type EntityMeta } from '../lib/meta';
import { Link, navigate } from '../router';

/** Create or edit any entity's record, the inputs generated from its declaration. */
export function RecordForm({ meta, id }: { meta: EntityMeta; id?: string }) {
  const { api } = useApp();
  const handle = api.entities[meta.name]!;
  const [initial, setInitial] = useState<FormValues>();
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!id) {
      const start = initialValues(meta.fields);
      setInitial(start);
      setValues(start);
      return;
    }
    handle.get(id).then((record) => {
      const start = initialValues(meta.fields, record);
      setInitial(start);
      setValues(start);
    }, setLoadError);
  }, [id, meta, handle]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = toBody(meta.fields, values, id ? initial : undefined);
    setErrors(parsed.errors);
    setGeneral([]);
    if (Object.keys(parsed.errors).length) return;
    setSaving(true);
    try {
      const saved = id ? await handle.update(id, parsed.body) : await handle.create(parsed.body);
      navigate(`/e/${meta.path}/${String(saved.id)}`);
    } catch (err) {
      setSaving(false);
      if (err instanceof ApiError && err.details.length) {
        const { byField, general: rest } = fieldErrors(meta.fields, err.details);
        setErrors(byField);
        setGeneral(rest.length ? [err.message, ...rest] : [err.message]);
        // Take the keyboard to the first field to fix.
        const first = Object.keys(byField)[0];
        if (first) document.getElementById(`field-${first}`)?.focus();
      } else setGeneral([messageOf(err)]);
    }
  };

  if (loadError) return <ErrorNote error={loadError} />;
  if (!initial) return <Loading />;
  const noun = labelOf(meta.name).toLowerCase();
  return (
    <section aria-labelledby="form-title">
      <h1 id="form-title">{id ? `Edit ${noun}` : `New ${noun}`}</h1>
      <form className="record-form" onSubmit={submit} noValidate>
        {general.length > 0 && (
          <div className="error" role="alert">
            {general.map((g) => (
              <p key={g}>{g}</p>
            ))}
          </div>
        )}
        {formFields(meta.fields).map((f) => (
          <FieldInput
            key={f.name}
            field={f}
            value={values[f.name] ?? ''}
            error={errors[f.name]}
            onChange={(v) => setValues((prev) => ({ ...prev, [f.name]: v }))}
          />
        ))}
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          <Link className="button" to={id ? `/e/${meta.path}/${id}` : `/e/${meta.path}`}>
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
