/**
 * A Content-Disposition header value that carries any file name safely: an ASCII fallback with quotes and
 * control characters removed, and the exact name in RFC 5987 encoding.
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'download';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
