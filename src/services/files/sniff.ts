/**
 * What a file really is, from its first bytes. The browser's claimed type and the file name are not
 * trusted: an HTML page named photo.png and sent as image/png is recognised as HTML. The extension only
 * picks between formats that share a container (a .docx and a .xlsx are both ZIP files).
 */
export const SNIFF_BYTES = 4100;

const startsWith = (b: Buffer, sig: number[] | string, offset = 0) => {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return b.length >= offset + bytes.length && b.subarray(offset, offset + bytes.length).equals(bytes);
};

const OOXML: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};
const OLE: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};
const TEXT: Record<string, string> = {
  csv: 'text/csv',
  json: 'application/json',
  md: 'text/markdown',
  txt: 'text/plain',
};
const MARKUP = /<\s*(!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta|link|\?xml)\b/i;

function isText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  // A multi-byte character may be cut at the end of the sniffed bytes; ignore up to 3 trailing bytes.
  for (let cut = 0; cut <= Math.min(3, head.length); cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // try a shorter prefix
    }
  }
  return false;
}

export function sniffType(head: Buffer, filename: string): string {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'image/gif';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'image/webp';
  if (startsWith(head, '%PDF-')) return 'application/pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    return OOXML[ext] && head.includes('[Content_Types].xml') ? OOXML[ext] : 'application/zip';
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return OLE[ext] ?? 'application/x-ole-storage';
  if (head.length > 0 && isText(head)) {
    const text = head.toString('utf8').replace(/^\uFEFF/, '');
    if (MARKUP.test(text.slice(0, 1024))) return 'text/html';
    return TEXT[ext] ?? 'text/plain';
  }
  return 'application/octet-stream';
}

/** Types a browser may show in place; everything else downloads as an attachment. */
export const INLINE_SAFE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
]);

export const DEFAULT_ALLOWED_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/json',
  ...Object.values(OOXML),
  ...Object.values(OLE),
  'application/zip',
];
