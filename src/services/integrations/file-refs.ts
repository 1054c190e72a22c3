/**
 * How Base44 apps name the files this server stores: a public file by its stable URL
 * (`<PUBLIC_URL>/files/public/<id>`), a private one by a URI that is no link (`document://<id>`), which
 * only CreateFileSignedUrl turns into one.
 */
const PRIVATE_SCHEME = 'document://';
const ID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

export const privateFileUri = (documentId: string): string => `${PRIVATE_SCHEME}${documentId}`;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The document a file reference names, when it is one of ours; anything else is undefined. */
export function documentIdOf(ref: unknown, publicUrl: string): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const pattern = new RegExp(`^(?:${escape(PRIVATE_SCHEME)}|${escape(publicUrl)}/files/public/)${ID}$`, 'i');
  return pattern.exec(ref.trim())?.[1]?.toLowerCase();
}
