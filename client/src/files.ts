import type { DocumentRecord } from './generated/entities.js';
import type { Transport } from './transport.js';

/** A Blob, or a browser File (whose name becomes the document's name). */
export type Upload = Blob & { name?: string };

export interface FileApi {
  /** Stores a file as a Document; `fields` are Document fields (name, related_type, is_private, ...). */
  upload(file: Upload, fields?: Record<string, string | number | boolean>): Promise<DocumentRecord>;
  /** A short-lived link to a document's file. */
  downloadUrl(documentId: string): Promise<{ url: string; expires_at: string | null }>;
  download(documentId: string): Promise<Blob>;
}

export function fileApi(http: Transport): FileApi {
  return {
    upload(file, fields = {}) {
      const form = new FormData();
      // Text fields before the file: the server reads them as the multipart stream arrives.
      for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
      form.append('file', file, file.name ?? 'upload');
      return http.data<DocumentRecord>('/api/v1/documents/upload', { method: 'POST', body: form });
    },
    downloadUrl: (id) => http.data(`/api/v1/documents/${encodeURIComponent(id)}/download-url`),
    async download(id) {
      const res = await http.open(`/api/v1/documents/${encodeURIComponent(id)}/download`);
      return res.blob();
    },
  };
}
