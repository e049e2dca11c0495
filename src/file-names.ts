// File names that came with an email, made fit to show to readers and to put in a header.
// Pure. Used by downloads (src/http/content-disposition.ts) and the public originals' listing.

/** Control characters (C0, DEL, C1): replaced by "_", as a header must never carry them. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/gu;
/**
 * Invisible characters that change how a name reads: the bidirectional controls (U+061C,
 * U+200E/F, U+202A-202E, U+2066-2069), with which "\u202egpj.exe" shows as "exe.jpg", and the
 * byte-order mark. Removed.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** Longest file name we put in a header or a page, in characters (a 3,000-character one made a 21 KB header). */
export const MAX_FILE_NAME_CHARS = 100;

/**
 * A file name fit to show and to download under: controls replaced, bidirectional controls
 * removed, and at most `maxChars` characters, shortened at the end of its stem so that its
 * extension stays.
 * Empty when nothing is left.
 */
export function cleanFileName(filename: string | null | undefined, maxChars = MAX_FILE_NAME_CHARS): string {
  const name = (filename ?? '').normalize('NFC').replace(BIDI_CONTROLS, '').replace(CONTROL_CHARS, '_').trim();
  const chars = Array.from(name); // code points: a cut never splits a surrogate pair
  if (chars.length <= maxChars) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 10 ? Array.from(name.slice(dot)) : [];
  return [...chars.slice(0, maxChars - extension.length - 1), '…', ...extension].join('');
}
