import type { Response } from 'express';
import type { ExportFile } from '../services/export/record-export';
import { sendDownload } from './send-download';

/** A generated file (export, report) as an attachment that is never cached: it holds records. */
export const sendGeneratedFile = (res: Response, file: ExportFile): Promise<void> =>
  sendDownload(res, { kind: 'stream', ...file, size: null, disposition: 'attachment' }, 'private, no-store');
