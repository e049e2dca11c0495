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
  endsSentence,
  FULL_STOP_END,
  GREETING,
  SENT_FROM,
  SIGN_OFF_MARKER,
  ORGANISATION_WORD,
  ROLE_WORD,
  SIGNATURE_SEPARATOR,
} from './patterns.ts';
import { endsWithLabel, FOLLOWING, isKicker, isSectionHeading, mentionsLabel } from './lexicons.ts';
import { isBulletLine, isContactLine, looksLikePersonName } from './line-kinds.ts';
import { CONTACT_LEAD, PHONE_OR_ADDRESS, PRESS_CONTACT_ROLE, tailSignOff, takeTrailingLines } from './trailing-block.ts';
import { countWords, splitBlocks } from './text.ts';

export interface Heading {
  /** The heading's text, wrapped lines joined, any date taken out. */
  text: string;
  /** The block index in the original text. */
  index: number;
  /** A kicker label ("PRESS RELEASE") stands above it: headings above the label are a letterhead. */
  afterLabel?: boolean;
  /** The statement's date stands above it (a letterhead or rubric, then the date, then the headline). */
  afterDate?: boolean;
}

export interface Segments {
  cover: string[][];
  headings: Heading[];
  /** Kicker lines above the headline ("PRESS RELEASE", "Nota de repúdio"): a title only when there is no headline. */
  labels: string[];
  /** Between the headline and the text: a standfirst, event details and press contacts ("Contact: …"). */
  standfirst: string[][];
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

/** A kicker as written, without its brackets ("[성명]", "【声明】") and trailing punctuation; "(FPJ)" at its end stays. */
function labelText(line: string): string {
  const t = line.trim();
  const bracketed = /^[[(【「〔]/u.test(t) ? t.replace(/^[[(【「〔]\s*/u, '').replace(/\s*[\])】」〕]\s*([:：.–—-]*)$/u, '$1') : t;
  return bracketed.replace(/[\s:：.–—-]+$/u, '');
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
  if ((FULL_STOP_END.test(last) || /[:;,،؛]$/.test(last)) && !/\b(?:[A-Z]{2,}|[A-Z]\.)$/.test(last.slice(0, -1))) return false;
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

function isContactBlock(block: string[]): boolean {
  return block.every(isContactLine);
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

/** A line in capitals (at least three letters with case, none of them lower-case). */
function isCapitalsLine(line: string): boolean {
  return !/\p{Ll}/u.test(line) && THREE_CAPITALS.test(line);
}
const THREE_CAPITALS = /^\P{Lu}*\p{Lu}\P{Lu}*\p{Lu}\P{Lu}*\p{Lu}/u;

/** Most capitals lines taken off the top of a block as its heading. */
const MAX_CAPITALS_LEAD_LINES = 4;
/** Blocks at the top of the text in which a heading may be run into the first paragraph. */
const CAPITALS_LEAD_BLOCKS = 4;

/**
 * A heading in capitals run into the first paragraph (PDF and DOCX text often has no blank line
 * between them): "AS ELEIÇÕES NÃO FORAM LIVRES\nAs eleições gerais …" becomes two blocks.
 */
function splitCapitalsLead(work: string[][]): void {
  for (let b = 0; b < Math.min(work.length, CAPITALS_LEAD_BLOCKS); b++) {
    const block = work[b]!;
    let k = 0;
    while (k < block.length && k < MAX_CAPITALS_LEAD_LINES && isCapitalsLine(block[k]!)) k++;
    if (k === 0 || k >= block.length || !/\p{Ll}/u.test(block[k]!)) continue;
    work.splice(b, 1, block.slice(0, k), block.slice(k));
    b++;
  }
}

/** "Place: …", "Contact：…": a short key before a colon. */
const KEY_VALUE = /^([^:：]{1,30})[:：]\s*\S/u;
const MAX_KEY_WORDS = 3;

function isContactEvidence(line: string): boolean {
  const t = line.trim();
  return CONTACT_LEAD.test(t) || ((isContactLine(t) || (PHONE_OR_ADDRESS.test(t) && countWords(t) <= PARAGRAPH_WORDS)) && !isDateLine(t, undefined));
}

/** Event details and press contacts between the headline and the text ("Venue: …", "Press contact: …"). */
function isFrontMatterLine(line: string): boolean {
  const t = line.trim();
  if (isContactEvidence(t)) return true;
  const key = KEY_VALUE.exec(t);
  return key !== null && countWords(key[1]!) <= MAX_KEY_WORDS && !endsSentence(key[1]!);
}

/** Most blocks of event details and contacts read under a headline, and of address lines skipped in a letterhead. */
const MAX_FRONT_MATTER_BLOCKS = 8;
const MAX_LETTERHEAD_CONTACT_BLOCKS = 3;

/** The blocks of front matter from `start`, and whether a press-contact lead is among them. */
function frontMatterRun(work: string[][], start: number): { end: number; lead: boolean; contact: boolean } {
  let end = start;
  while (end < work.length - 1 && end - start < MAX_FRONT_MATTER_BLOCKS && work[end]!.every(isFrontMatterLine)) end++;
  const lines = work.slice(start, end).flat();
  return { end, lead: lines.some((l) => CONTACT_LEAD.test(l.trim())), contact: end > start && work[start]!.every(isContactEvidence) };
}

const MAX_SALUTATION_LINES = 3;
const MAX_SALUTATION_WORDS = 20;

/** Most words of a headline that ends with a full stop, accepted only right under a kicker label (and without a comma: a clause makes it a sentence of the text). */
const MAX_STOPPED_HEADLINE_WORDS = 14;

/** One sentence: no full stop before its end. */
function isOneSentence(text: string): boolean {
  const stops = text.match(/[.։।۔。။።។](?=\s|$)/gu) ?? [];
  return stops.length <= 1;
}

function isTitleCase(line: string): boolean {
  const long = line.split(/\s+/).filter((w) => /^\p{L}{4,}/u.test(w));
  return long.length > 0 && long.filter((w) => /^\p{Lu}/u.test(w)).length * 2 >= long.length;
}

/**
 * A headline and its standfirst in one block: a new line opens a sentence ("Calling all workers
 * …") after a headline line in sentence case that ends without punctuation, and the block ends
 * with a full stop. Returns the headline's lines; the standfirst is the rest.
 */
function headlineLines(block: string[], reference: Date | undefined): string[] {
  if (block.length < 2 || !FULL_STOP_END.test(block.at(-1)!.trim())) return block;
  for (let j = 1; j < block.length; j++) {
    const prev = block[j - 1]!.trim();
    const line = block[j]!.trim();
    if (!/^\p{Lu}\p{Ll}/u.test(line) || !/\p{L}$/u.test(prev) || isCapitalsLine(prev) || isTitleCase(prev)) continue;
    if (matchLeadingDate(line, reference) || isDocumentLabel(prev) || isDocumentLabel(line)) continue;
    return block.slice(0, j);
  }
  return block;
}

/** Most words of a standfirst between the headline and a date line standing alone. */
const MAX_STANDFIRST_WORDS = 100;
/** A lead-in naming the statement ("The Polit Bureau issued the following statement:") is short. */
const MAX_INTRODUCTION_WORDS = 40;
/** A summary sentence above the text: at most this long, and this share of its words repeated in the first paragraph. */
const MAX_SUMMARY_WORDS = 30;
const SUMMARY_OVERLAP = 0.6;
const MIN_SUMMARY_SHARED = 4;
/** The start of the next paragraph read for a summary's words (a one-paragraph email may be a megabyte). */
const SUMMARY_NEXT_CHARS = 2000;

function contentWords(text: string, limit: number): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{M}]{4,}/gu) ?? []).slice(0, limit);
}

/**
 * The first paragraph is not text but a lead-in or a summary: "X issued the following
 * statement:" (it names the document and opens onto the text), or one sentence whose words the
 * next paragraph repeats (a standfirst set as a paragraph).
 */
function isLeadIn(first: string, next: string): boolean {
  const t = first.trim();
  if (countWords(t) <= MAX_INTRODUCTION_WORDS && /[:：]$/.test(t) && mentionsLabel(t) && FOLLOWING.test(t)) return true;
  if (countWords(t) > MAX_SUMMARY_WORDS || !isOneSentence(t)) return false;
  // One sentence that describes the document and ends by naming it ("… ile ilgili basın açıklamasıdır.",
  // "… sobre el cierre del puerto: nota de prensa."); "… gave the following statement." announces a quote and stays.
  if (endsWithLabel(t) && !FOLLOWING.test(t)) return true;
  const words = [...new Set(contentWords(t, MAX_SUMMARY_WORDS))];
  const following = new Set(contentWords(next.slice(0, SUMMARY_NEXT_CHARS), 2 * MAX_SUMMARY_WORDS));
  const shared = words.filter((w) => following.has(w)).length;
  return shared >= MIN_SUMMARY_SHARED && shared >= words.length * SUMMARY_OVERLAP;
}

export function segmentText(text: string, reference: Date | undefined, subject = ''): Segments {
  const blocks = splitBlocks(text);
  const { end: coverEnd, rest } = findCoverEnd(blocks);
  const cover = blocks.slice(0, coverEnd);
  const work = [...(rest ? [rest] : []), ...blocks.slice(coverEnd + (rest ? 1 : 0))];
  if (rest) cover.push(blocks[coverEnd]!.slice(0, blocks[coverEnd]!.length - rest.length));

  // Headings: short blocks before the first paragraph.
  splitCapitalsLead(work);
  const headings: Heading[] = [];
  const labels: string[] = [];
  const standfirst: string[][] = [];
  let dateline: Segments['dateline'];
  let sawLabel = false;
  let skippedContacts = 0;
  let i = 0;
  while (i < work.length - 1 && headings.length < MAX_HEADING_BLOCKS) {
    const block = work[i]!;
    // "Introduction", "Background": the text starts with its first section.
    if (block.length === 1 && isSectionHeading(block[0]!)) break;
    // Event details and press contacts under the headline end the headings; an address line in a letterhead is skipped.
    const front = frontMatterRun(work, i);
    if (front.lead && (headings.length > 0 || sawLabel)) {
      standfirst.push(...work.slice(i, front.end));
      i = front.end;
      break;
    }
    if (front.contact && skippedContacts++ < MAX_LETTERHEAD_CONTACT_BLOCKS) {
      standfirst.push(block);
      i++;
      continue;
    }
    // Right under a kicker label, a one-line headline may end with a full stop.
    const stoppedHeadline =
      sawLabel && !headings.some((h) => h.afterLabel) && block.length === 1 && countWords(block[0]!) <= MAX_STOPPED_HEADLINE_WORDS && isOneSentence(block[0]!) && !/[,，、،]/u.test(block[0]!);
    if (!stoppedHeadline && !isHeadingBlock(block, reference, subject)) break;
    const lines = headlineLines(block, reference);
    if (lines.length < block.length) standfirst.push(block.slice(lines.length));
    const parts: string[] = [];
    let afterLabel = sawLabel;
    let afterDate = dateline !== undefined;
    for (const line of lines) {
      const date = matchLeadingDate(line, reference);
      if (date && (!date.rest || !date.separated)) {
        // A date with its year beats an earlier one without ("… strike on / September 29." over "28 September 2014").
        if (!dateline || (!dateline.yearWritten && date.yearWritten)) dateline = { ...date, where: 'heading' };
        if (!parts.length) afterDate = true;
        // "Samedi 11 avril 2015 par le mouvement …": a byline after the date, not a headline.
        if (date.rest && !/^\p{Ll}/u.test(date.rest.trim())) parts.push(date.rest);
      } else if (isDocumentLabel(line)) {
        labels.push(labelText(line));
        sawLabel = true;
        if (!parts.length) afterLabel = true;
      } else if (!SIGNATURE_SEPARATOR.test(line.trim())) {
        parts.push(line.trim());
      }
    }
    // A headline and its standfirst in one block: the subject repeats the headline alone.
    const headline = parts.length > 1 && subject && normalised(subject).includes(normalised(parts[0]!)) && !normalised(subject).includes(normalised(parts.join(' '))) ? [parts[0]!] : parts;
    if (headline.length) headings.push({ text: headline.join(' ').replace(/\s+/g, ' '), index: i, afterLabel, afterDate });
    i++;
  }

  // A standfirst between the headline and a date standing alone: the text starts after the date.
  if (!dateline && (headings.length || labels.length)) {
    let words = 0;
    for (let d = i; d < Math.min(work.length - 1, i + 3); d++) {
      const date = work[d]!.length === 1 ? isDateLine(work[d]![0]!, reference) : undefined;
      if (date && d > i && !date.rest) {
        dateline = { ...date, where: 'heading' };
        standfirst.push(...work.slice(i, d));
        i = d + 1;
        break;
      }
      words += countWords(blockText(work[d]!));
      if (words > MAX_STANDFIRST_WORDS) break;
    }
  }

  // A greeting under the headline ("Comrades and friends,"), or an open letter's salutation over
  // up to three lines ("His Excellency the Prime Minister / Mr …,"): the statement starts after it.
  while (
    i > 0 &&
    i < work.length - 1 &&
    work[i]!.length <= MAX_SALUTATION_LINES &&
    isGreetingLine(work[i]![0]!) &&
    countWords(blockText(work[i]!)) <= MAX_SALUTATION_WORDS &&
    /[,!:،，：]$/.test(work[i]!.at(-1)!.trim())
  ) {
    cover.push(work[i++]!);
  }

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

  // A lead-in ("… issued the following statement:") or a summary sentence the text repeats.
  if (bodyBlocks.length >= 3 && (headings.length || labels.length) && isLeadIn(blockText(bodyBlocks[0]!), blockText(bodyBlocks[1]!))) standfirst.push(bodyBlocks.shift()!);

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

  return { cover, headings, labels, standfirst, dateline, body, trailer, signOff, signOffKind };
}
