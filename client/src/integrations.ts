import type { FileApi, Upload } from './files.js';
import type { DocumentRecord, EmailRecord } from './generated/entities.js';
import type { Transport } from './transport.js';

export interface SendEmailInput {
  to: string | string[];
  subject: string;
  /** HTML, as Base44's SendEmail takes it. */
  body: string;
  from_name?: string;
}

/** Base44's `integrations.Core`, over our documents and email routes. */
export interface CoreIntegrations {
  /** A public file: `file_url` is a stable link anyone can open. */
  UploadFile(input: { file: Upload }): Promise<{ file_url: string; document: DocumentRecord }>;
  /** A private file: `file_uri` (the document id) is turned into a link by CreateFileSignedUrl. */
  UploadPrivateFile(input: { file: Upload }): Promise<{ file_uri: string; document: DocumentRecord }>;
  /** The link lasts as long as the server's signed-URL lifetime; `expires_at` says until when. */
  CreateFileSignedUrl(input: {
    file_uri: string;
  }): Promise<{ signed_url: string; expires_at: string | null }>;
  /** Sends through the server's mailer and records an Email. */
  SendEmail(input: SendEmailInput): Promise<EmailRecord>;
}

export function coreIntegrations(http: Transport, files: FileApi): CoreIntegrations {
  return {
    async UploadFile({ file }) {
      const document = await files.upload(file, { is_private: false });
      return { file_url: document.url!, document };
    },
    async UploadPrivateFile({ file }) {
      const document = await files.upload(file, { is_private: true });
      return { file_uri: document.id, document };
    },
    async CreateFileSignedUrl({ file_uri }) {
      const { url, expires_at } = await files.downloadUrl(file_uri);
      return { signed_url: url, expires_at };
    },
    SendEmail: ({ to, subject, body, from_name }) =>
      http.data<EmailRecord>('/api/v1/emails/send', {
        method: 'POST',
        body: { to, subject, html: body, ...(from_name !== undefined ? { from_name } : {}) },
      }),
  };
}
