// Bounded work per message (issue 10, DESIGN.md "Hostile input is expected"): how large an email
// the pipeline reads at all (MAX_MESSAGE_BYTES; its default is in src/config.ts), and how much of
// its text is kept for display. Pure.
import type { DraftFields } from '../extract/types.ts';

/**
 * Characters of a message's plain-text body kept for the editors' view of the email, and of a
 * draft's body (the most an editor may save, so that a draft can always be saved as it is). A
 * 20 MB text body made 42 MB API and page responses; the whole text stays in the raw email.
 * Equal to MAX_BODY_CHARS of src/moderation/edit-statement.ts (a test keeps them equal; that
 * module is not imported here because this one runs in the parser worker).
 */
export const MAX_STORED_TEXT_CHARS = 500_000;

/** The reason a message too large to read is failed with; it starts with the short reason shown in lists. */
export function oversizeError(bytes: number, maxBytes: number): string {
  return (
    `message too large: the email is ${formatBytes(bytes)} (${bytes} bytes), over the limit of ${formatBytes(maxBytes)} ` +
    `(MAX_MESSAGE_BYTES); it is kept raw and was not read. Ask the sender for the statement in a smaller email, or raise MAX_MESSAGE_BYTES and import the original again`
  );
}

function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A message's text body for display, cut at MAX_STORED_TEXT_CHARS with a note saying so. */
export function capDisplayText(text: string | null): string | null {
  if (text === null || text.length <= MAX_STORED_TEXT_CHARS) return text;
  const kept = cutAt(text, MAX_STORED_TEXT_CHARS, /\n/g);
  return `${kept}\n\n[statement-desk: the rest of this text, ${text.length - kept.length} more characters, is not shown here; the original email has it all]`;
}

/**
 * A draft whose body is longer than MAX_STORED_TEXT_CHARS keeps its beginning, cut between
 * paragraphs, with a warning for the editor. The HTML is cut between its top-level blocks
 * (extraction escapes all text, so `>\n<` only ever joins two blocks), never inside a tag.
 */
export function capDraftBody(draft: DraftFields): DraftFields {
  if (draft.bodyText.length <= MAX_STORED_TEXT_CHARS && draft.bodyHtml.length <= MAX_STORED_TEXT_CHARS) return draft;
  const bodyText = draft.bodyText.length > MAX_STORED_TEXT_CHARS ? cutAt(draft.bodyText, MAX_STORED_TEXT_CHARS, /\n\n/g) : draft.bodyText;
  const bodyHtml = draft.bodyHtml.length > MAX_STORED_TEXT_CHARS ? cutHtmlBlocks(draft.bodyHtml, MAX_STORED_TEXT_CHARS) : draft.bodyHtml;
  const warning = `the statement is longer than ${MAX_STORED_TEXT_CHARS.toLocaleString('en')} characters: the draft holds its beginning only; the whole text is in the original email`;
  return { ...draft, bodyText, bodyHtml, warnings: [...draft.warnings, warning] };
}

/** `text` cut to at most `max` characters, at the last `boundary` in the second half when there is one. */
function cutAt(text: string, max: number, boundary: RegExp): string {
  const head = text.slice(0, max);
  let last = -1;
  for (const match of head.matchAll(boundary)) last = match.index;
  const cut = last > max / 2 ? head.slice(0, last) : head;
  // Never leave half of a surrogate pair at the end.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function cutHtmlBlocks(html: string, max: number): string {
  const last = html.slice(0, max + 1).lastIndexOf('>\n<');
  return last > 0 ? html.slice(0, last + 1) : '';
}
