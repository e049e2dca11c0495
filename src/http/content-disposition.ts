// Content-Disposition for downloads (the public originals, editors' attachments and raw emails).

/**
 * Always `attachment` (never shown inline in our origin), with a file name safe inside the quoted
 * value (control characters, quotes, backslashes and slashes replaced) and the UTF-8 form beside
 * it for non-ASCII names (RFC 6266, RFC 8187).
 */
export function contentDisposition(filename: string | null | undefined, fallback: string): string {
  const name = (filename ?? '').replace(/[\u0000-\u001f\u007f"\\/]/g, '_').trim() || fallback;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
