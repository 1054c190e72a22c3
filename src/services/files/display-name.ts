import path from 'node:path';

/**
 * The original file name, kept only for display and downloads: directories, control characters and
 * reserved characters removed, length capped. It never becomes part of a storage key or a path.
 */
export function displayName(original: string | undefined): string {
  const base = path.posix.basename(path.win32.basename(original ?? ''));
  const clean = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}<>:"/\\|?*]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return clean || 'file';
}
