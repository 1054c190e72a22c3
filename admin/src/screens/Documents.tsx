import { useEffect, useState, type FormEvent } from 'react';
import { messageOf } from '../api/errors';
import type { RecordValues } from '../api/types';
import { Alert, Status } from '../components/States';
import { useApp } from '../context';

/** Upload a file as a new document, with a progress bar. */
export function DocumentUpload({ onUploaded }: { onUploaded: () => void }) {
  const { api } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    setError('');
    setMessage('');
    setProgress(0);
    try {
      const doc = await api.upload<RecordValues>('/documents/upload', form, setProgress);
      setMessage(`Uploaded ${String(doc.name)}`);
      onUploaded();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setProgress(null);
    }
  };
  return (
    <form className="panel inline" onSubmit={submit}>
      <label>
        File to upload
        <input type="file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <button type="submit" disabled={!file || progress !== null}>
        Upload
      </button>
      {progress !== null && (
        <progress max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)}%
        </progress>
      )}
      <Status message={message} />
      <Alert message={error} />
    </form>
  );
}

/** A stored document's file: download it, and preview images and PDFs in the page. */
export function DocumentFile({ record }: { record: RecordValues }) {
  const { api } = useApp();
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState('');
  const mime = String(record.mime_type ?? '');
  const previewable = mime.startsWith('image/') || mime === 'application/pdf';
  const stored = Boolean(record.storage_driver);

  // The download needs the bearer token, so the file is fetched and shown from a blob URL.
  useEffect(() => {
    if (!stored) return;
    let objectUrl: string | undefined;
    api
      .raw(`/documents/${String(record.id)}/download`)
      .then((res) => res.blob())
      .then(
        (blob) => {
          objectUrl = URL.createObjectURL(blob);
          setUrl(objectUrl);
        },
        (err: unknown) => setError(messageOf(err)),
      );
    return () => {
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [api, record.id, stored]);

  if (!stored) return null;
  return (
    <div className="panel document-file">
      <Alert message={error} />
      {url && (
        <a className="button" href={url} download={String(record.original_filename ?? record.name)}>
          Download {String(record.original_filename ?? 'file')}
        </a>
      )}
      {url && previewable && mime.startsWith('image/') && (
        <img src={url} alt={`Preview of ${String(record.name)}`} />
      )}
      {url && previewable && mime === 'application/pdf' && (
        <iframe src={url} title={`Preview of ${String(record.name)}`} className="pdf-preview" />
      )}
    </div>
  );
}
