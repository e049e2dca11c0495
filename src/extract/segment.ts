// Splits the text of a submission into its parts: the cover note to the editors, the
// statement's headings and dateline, the statement body, and what follows it (sign-off block,
// closing, signature, disclaimers). Works on lines and blank-line blocks, so it reads plain
// text, HTML turned into text, and PDF or DOCX text alike. Pure.
import { isDateLine, matchLeadingDate, type LeadingDate } from './dates.ts';
import {
  CLOSING,
  CONTACT_LINE,
  COVER_PHRASE,
  DISCLAIMER,
  GREETING,
  SENT_FROM,
  SIGN_OFF_MARKER,
  ORGANISATION_WORD,
  ROLE_WORD,
  SIGNATURE_SEPARATOR,
} from './patterns.ts';
import { isKicker } from './lexicons.ts';
import { PRESS_CONTACT_ROLE, tailSignOff, takeTrailingLines } from './trailing-block.ts';
import { countWords, splitBlocks } from './text.ts';

export interface Heading {
  /** The heading's text, wrapped lines joined, any date taken out. */
  text: string;
  /** The block index in the original text. */
  index: number;
}

export interface Segments {
  cover: string[][];
  headings: Heading[];
  /** Kicker lines above the headline ("PRESS RELEASE", "Nota de repúdio"): a title only when there is no headline. */
  labels: string[];
  /** The statement's own date as written in a heading, a dateline or a date line after the text. */
  dateline: (LeadingDate & { where: 'heading' | 'dateline' | 'closing-date' }) | undefined;
  body: string[][];
  /** Lines after the body: sign-off block, closing, signature, disclaimers. */
  trailer: string[][];
  /** Lines of a sign-off block ("Released by," and what follows, or name and role lines). */
  signOff: string[];
  /** How the sign-off block was found. */
  signOffKind: 'marker' | 'name-lines' | undefined;
}

const MAX_COVER_WORDS = 150;
const MAX_HEADING_WORDS = 40;
const MAX_HEADING_BLOCKS = 4;
const MAX_NAME_LINE_WORDS = 8;
/** A block this long (in words) is text, not a heading, cover line or signature. */
const PARAGRAPH_WORDS = 25;

const BULLET = /^\s*(?:[•·▪◦●‣∙*o–—-]|\d{1,2}[.)]|[a-z][.)]|\(\d{1,2}\)|\([a-z]\))\s+/u;

export function isBulletLine(line: string): boolean {
  return BULLET.test(line);
}

function blockText(block: string[]): string {
  return block.join(' ');
}

function isGreetingLine(line: string): boolean {
  return GREETING.test(line.trim()) && countWords(line) <= 8;
}

function isClosingLine(line: string): boolean {
  return CLOSING.test(line.trim()) && countWords(line) <= 8;
}

/** A short line of a personal sign-off: a name, a role, an affiliation. */
function isNameLine(line: string): boolean {
  const t = line.trim();
  return countWords(t) <= MAX_NAME_LINE_WORDS && !/[:!?]/.test(t) && !/\bstatement\b|\bpress release\b|\bdeclaration\b/i.test(t);
}

function isSignOffMarkerLine(line: string): boolean {
  const m = SIGN_OFF_MARKER.exec(line.trim());
  return Boolean(m) && countWords(line) <= 14 && !/[.]\s*\S/.test(m![1] ?? '');
}

/** Lines after a closing: the sender's name and affiliation (at most `max` short lines). */
function skipNameLines(blocks: string[][], from: { block: number; line: number }, max: number): { block: number; line: number } {
  let { block, line } = from;
  let taken = 0;
  while (block < blocks.length && taken < max) {
    const lines = blocks[block]!;
    if (line >= lines.length) {
      block++;
      line = 0;
      continue;
    }
    if (!isNameLine(lines[line]!) && !CONTACT_LINE.test(lines[line]!.trim())) break;
    taken++;
    line++;
  }
  if (block < blocks.length && line >= blocks[block]!.length) return { block: block + 1, line: 0 };
  return { block, line };
}

/** Index of the first block after the cover note (0 when there is none). */
function findCoverEnd(blocks: string[][]): { end: number; rest: string[] | undefined } {
  let i = 0;
  let sawCover = false;
  let pending: string[] | undefined;
  while (i < blocks.length) {
    let block = pending ?? blocks[i]!;
    pending = undefined;
    // "Salam," greets at the top and closes after the note.
    if (isGreetingLine(block[0]!) && (i === 0 || (sawCover && !isClosingLine(block[0]!)))) {
      sawCover = true;
      if (block.length === 1) {
        i++;
        continue;
      }
      block = block.slice(1);
    }
    const text = blockText(block);
    const closingAt = block.findIndex(isClosingLine);
    if (sawCover && closingAt >= 0 && closingAt <= 3) {
      // The cover note's closing and the sender's name: the statement starts after them.
      const next = skipNameLines(blocks, { block: i, line: closingAt + 1 + (blocks[i]!.length - block.length) }, 4);
      if (next.block >= blocks.length) break;
      return { end: next.block, rest: next.line > 0 ? blocks[next.block]!.slice(next.line) : undefined };
    }
    if (COVER_PHRASE.test(text) && countWords(text) <= MAX_COVER_WORDS && (sawCover || !looksLikeStatementStart(block))) {
      sawCover = true;
      i++;
      continue;
    }
    if (sawCover && countWords(text) <= PARAGRAPH_WORDS && /^(?:i|we|i'm|i’m|we're|we’re|as|this|it|here)\b/i.test(block[0]!.trim()) && /[.!]$/.test(block.at(-1)!.trim())) {
      // A short personal sentence inside the note ("I'm a member in Western Sydney.").
      i++;
      continue;
    }
    break;
  }
  if (!sawCover) return { end: 0, rest: undefined };
  return { end: i, rest: pending };
}

/** The first lines of a statement, which a cover phrase test must not swallow. */
function looksLikeStatementStart(block: string[]): boolean {
  return block.length === 1 && countWords(block[0]!) <= 20 && !/[.,]$/.test(block[0]!.trim()) && !isGreetingLine(block[0]!);
}

/** Lines that label the document rather than title it. */
const DOCUMENT_LABEL =
  /^(?:for immediate release|immediate release|press release|media release|news release|press statement|public statement|joint statement|statement|declaration|communiqué(?: de presse)?|comunicado(?: de prensa)?|pressemitteilung|kenyataan media|pahayag|embargoed\b.*)[\s:!.–—-]*$/iu;

export function isDocumentLabel(line: string): boolean {
  return DOCUMENT_LABEL.test(line.trim()) || isKicker(line);
}

function normalised(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function isHeadingBlock(block: string[], reference: Date | undefined, subject: string): boolean {
  if (block.some(isBulletLine)) return false;
  // The subject's words as a line of their own: a title, even one ending with a full stop.
  if (block.length === 1 && subject && countWords(block[0]!) <= 20 && normalised(subject).includes(normalised(block[0]!)) && normalised(block[0]!).length > 8) return true;
  if (countWords(blockText(block)) > MAX_HEADING_WORDS || block.length > 4) return false;
  const last = block.at(-1)!.trim();
  if (isDateLine(last, reference)) return true;
  if (/[.:;,]$/.test(last) && !/\b(?:[A-Z]{2,}|[A-Z]\.)$/.test(last.slice(0, -1))) return false;
  return !isGreetingLine(block[0]!) && !isClosingLine(block[0]!);
}

/** The statement's trailing part begins at this line: signature, closing, sign-off, disclaimer. */
/** More words than this after a rule ("***", "———") mean the rule separates sections of the text. */
const MAX_WORDS_AFTER_SIGNATURE_RULE = 80;

/**
 * A rule other than the signature delimiter ("-- ") followed by much more text is a section
 * break inside the statement, not the start of a signature.
 */
function isSectionBreak(line: string, blocks: string[][], block: number, index: number): boolean {
  if (!SIGNATURE_SEPARATOR.test(line.trim()) || /^--\s*$/.test(line.trim())) return false;
  let words = 0;
  for (let b = block; b < blocks.length && words <= MAX_WORDS_AFTER_SIGNATURE_RULE; b++) {
    const lines = b === block ? blocks[b]!.slice(index + 1) : blocks[b]!;
    for (const l of lines) {
      if (isBodyStop(l, blocks[b]!) && !SIGNATURE_SEPARATOR.test(l.trim())) return false;
      // Past the limit the count no longer matters (only a stop line in this block does).
      if (words <= MAX_WORDS_AFTER_SIGNATURE_RULE) words += countWords(l);
    }
  }
  return words > MAX_WORDS_AFTER_SIGNATURE_RULE;
}

function isDisclaimerBlock(block: string[]): boolean {
  const text = blockText(block);
  return DISCLAIMER.test(text) && countWords(text) < 200;
}

function isBodyStop(line: string, block: string[]): boolean {
  const t = line.trim();
  return (
    SIGNATURE_SEPARATOR.test(t) ||
    SENT_FROM.test(t) ||
    isClosingLine(t) ||
    isSignOffMarkerLine(t) ||
    (block[0] === line && isDisclaimerBlock(block))
  );
}

/** Phone, e-mail, web or postal details, alone or several on a line ("a@b.org | https://b.org"). */
export function isContactLine(line: string): boolean {
  const t = line.trim();
  return CONTACT_LINE.test(t) || /^[\w.+-]+@[\w-]+\.[\w.-]+/.test(t) || (/[|·•]/.test(t) && t.split(/\s*[|·•]\s*/).every((part) => !part || CONTACT_LINE.test(part)));
}

function isContactBlock(block: string[]): boolean {
  return block.every(isContactLine);
}

/** A person's name as it stands on a sign-off line: two to five capitalised words. */
export function looksLikePersonName(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length < 2 || words.length > 5 || ROLE_WORD.test(text) || ORGANISATION_WORD.test(text)) return false;
  return words.every(
    (w) =>
      /^(?:bin|binti|bte|ibn|abu|de|da|do|dos|das|del|dela|delos|della|des|du|di|van|von|der|den|ter|ten|la|le|al|el|ng|y|e|d[’'])$/i.test(w) ||
      /^[\p{Lu}][\p{L}’'.-]*$/u.test(w),
  );
}

/** Most lines a sign-off at the end of the text has: names, roles, the organisation. */
const MAX_SIGN_OFF_LINES = 6;

/**
 * Takes from the end of `body` the short lines without sentence punctuation that close many
 * statements: "Aisha Rahman / President", "Coastal Farmers Movement / Media team".
 */
function takeSignOffTail(body: string[][]): string[] {
  const taken: string[][] = [];
  let lines = 0;
  while (body.length > 1) {
    const block = body.at(-1)!;
    const dashedName = block.length === 1 && /^[–—-]\s*[\p{Lu}]/u.test(block[0]!.trim());
    const fits = block.every((l) => isContactLine(l) || (isNameLine(l) && (dashedName || !isBulletLine(l)) && !/[.!?;:…]$/.test(l.trim())));
    if (!fits || lines + block.length > MAX_SIGN_OFF_LINES) break;
    taken.unshift(body.pop()!);
    lines += block.length;
  }
  return taken.flat();
}

export function segmentText(text: string, reference: Date | undefined, subject = ''): Segments {
  const blocks = splitBlocks(text);
  const { end: coverEnd, rest } = findCoverEnd(blocks);
  const cover = blocks.slice(0, coverEnd);
  const work = [...(rest ? [rest] : []), ...blocks.slice(coverEnd + (rest ? 1 : 0))];
  if (rest) cover.push(blocks[coverEnd]!.slice(0, blocks[coverEnd]!.length - rest.length));

  // Headings: short blocks before the first paragraph.
  const headings: Heading[] = [];
  const labels: string[] = [];
  let dateline: Segments['dateline'];
  let i = 0;
  while (i < work.length - 1 && headings.length < MAX_HEADING_BLOCKS && isHeadingBlock(work[i]!, reference, subject)) {
    const parts: string[] = [];
    for (const line of work[i]!) {
      const date = matchLeadingDate(line, reference);
      if (date && (!date.rest || !date.separated)) {
        dateline ??= { ...date, where: 'heading' };
        if (date.rest) parts.push(date.rest);
      } else if (isDocumentLabel(line)) {
        labels.push(line.trim().replace(/^[[(【「〔]\s*|\s*[\])】」〕]$|[\s:：.–—-]+$/gu, ''));
      } else if (!SIGNATURE_SEPARATOR.test(line.trim())) {
        parts.push(line.trim());
      }
    }
    // A headline and its standfirst in one block: the subject repeats the headline alone.
    const headline = parts.length > 1 && subject && normalised(subject).includes(normalised(parts[0]!)) && !normalised(subject).includes(normalised(parts.join(' '))) ? [parts[0]!] : parts;
    if (headline.length) headings.push({ text: headline.join(' ').replace(/\s+/g, ' '), index: i });
    i++;
  }

  // A greeting under the headline ("Comrades and friends,"): the statement starts after it.
  while (i > 0 && i < work.length - 1 && work[i]!.length === 1 && isGreetingLine(work[i]![0]!) && /[,!:]$/.test(work[i]![0]!.trim())) cover.push(work[i++]!);

  // A dateline opening the first paragraph: "March 1 - The Socialist Alliance condemns ...".
  const bodyBlocks = work.slice(i).map((b) => [...b]);
  const first = bodyBlocks[0];
  if (first) {
    const date = matchLeadingDate(first[0]!, reference);
    if (date && date.separated && date.rest) {
      dateline ??= { ...date, where: 'dateline' };
      first[0] = date.rest;
    }
  }

  // Where the text stops.
  let stopBlock = bodyBlocks.length;
  let stopLine = 0;
  outer: for (let b = 0; b < bodyBlocks.length; b++) {
    const block = bodyBlocks[b]!;
    for (let l = 0; l < block.length; l++) {
      if (b === 0 && l === 0) continue;
      if (isBodyStop(block[l]!, block) && !isSectionBreak(block[l]!, bodyBlocks, b, l)) {
        stopBlock = b;
        stopLine = l;
        break outer;
      }
    }
  }
  const body = bodyBlocks.slice(0, stopBlock);
  const trailer = bodyBlocks.slice(stopBlock + (stopLine > 0 ? 1 : 0));
  if (stopLine > 0 && stopBlock < bodyBlocks.length) {
    body.push(bodyBlocks[stopBlock]!.slice(0, stopLine));
    trailer.unshift(bodyBlocks[stopBlock]!.slice(stopLine));
  }

  // Trailing contact lines and a closing date line ("Kuala Lumpur, 27 February 2022").
  while (body.length > 1 && isContactBlock(body.at(-1)!)) trailer.unshift(body.pop()!);
  const lastBlock = body.at(-1);
  if (body.length > 1 && lastBlock && lastBlock.length === 1) {
    const date = isDateLine(lastBlock[0]!, reference);
    if (date) {
      dateline ??= { ...date, where: 'closing-date' };
      body.pop();
    }
  }

  // Short unpunctuated lines, contacts, links and place-and-date lines after the last sentence.
  const tail = takeTrailingLines(body);
  const trailingBlock = tail.length ? tail : undefined;
  if (tail.length) {
    for (const line of tail) {
      const date = isDateLine(line, reference);
      if (date) dateline ??= { ...date, where: 'closing-date' };
    }
    trailer.unshift(tail);
  }

  // The sign-off block: after a marker in the trailer, or unmarked name and role lines ending the text.
  let signOff: string[] = [];
  let signOffKind: Segments['signOffKind'];
  const trailerLines = trailer.flat();
  const markerAt = trailerLines.findIndex(isSignOffMarkerLine);
  const beforeMarker = trailerLines.slice(0, Math.max(markerAt, 0));
  if (markerAt >= 0 && !beforeMarker.some((l) => SIGNATURE_SEPARATOR.test(l.trim()) || isClosingLine(l))) {
    signOff = trailerLines.slice(markerAt);
    signOffKind = 'marker';
  } else {
    const tail = tailSignOff(takeSignOffTail(body), trailer, trailingBlock, reference);
    const first = tail[0]?.trim().replace(/^[–—-]+\s*/, '').replace(/,$/, '') ?? '';
    // Contact details make it an email signature, not a statement's sign-off.
    if (tail.some(isContactLine) || tail.some((l) => PRESS_CONTACT_ROLE.test(l.trim()))) {
      trailer.unshift(tail);
    } else if (tail.length && (looksLikePersonName(first) || looksLikePersonName(first.split(/\s*(?:,|\s[–—-]\s|\()/)[0]!))) {
      signOff = tail;
      signOffKind = 'name-lines';
    } else if (tail.some((l) => ORGANISATION_WORD.test(l) || ROLE_WORD.test(l))) {
      trailer.unshift(tail);
    } else if (tail.length) {
      body.push(tail);
    }
  }

  if (!dateline) {
    // "Released by, Name, Role, 27 February 2022": a date in the lines after the text.
    for (const line of [...signOff, ...trailer.flat()].slice(0, 8)) {
      const date = isDateLine(line, reference);
      if (date) {
        dateline = { ...date, where: 'closing-date' };
        break;
      }
    }
  }

  return { cover, headings, labels, dateline, body, trailer, signOff, signOffKind };
}
