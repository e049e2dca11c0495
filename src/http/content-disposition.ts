// Content-Disposition for downloads (the public originals, editors' attachments and raw emails).
import { cleanFileName } from '../file-names.ts';

/**
 * Always `attachment` (never shown inline in our origin), with a file name cleaned as above and
 * safe inside the quoted value (quotes, backslashes and slashes replaced), and the UTF-8 form
 * beside it for non-ASCII names (RFC 6266, RFC 8187).
 */
export function contentDisposition(filename: string | null | undefined, fallback: string): string {
  const name = cleanFileName(filename).replace(/["\\/]/g, '_').trim() || fallback;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
