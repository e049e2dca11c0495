// The rule engine: the fields of a draft statement from a parsed email, each with where it came
// from and how sure the rule was, or the verdict that the email is not a statement. The rules
// themselves are one per file beside it; extract-message.ts adds the attachments' text first.
// Pure: no I/O, no clock (attachment text is read beforehand by attachment-text.ts).
import type { EmailAddress, ParsedAttachment, ParsedEmail } from './parsed-email.ts';
import { documentKind } from './attachment-text.ts';
import { renderBody } from './body-html.ts';
import { isoDateOf } from './dates.ts';
import { splitForward, stripQuotedReply } from './forwards.ts';
import { detectLanguage } from './language.ts';
import { mailingListOf } from './mailing-list.ts';
import { followUpVerdict, phishingVerdict, structuralVerdict } from './not-statement.ts';
import { guessOrganisation } from './organisation.ts';
import { segmentText, type Segments } from './segment.ts';
import { isOfficeLine, officeInHeadingOrOpening, officeSignatory } from './office-signatory.ts';
import { caselessOpeningSigners, caselessScriptSigners, issuerOfHeadings, parseSignatories, quotedSpeakers, speakersInOpening } from './signatories.ts';
import { COVER_PHRASE, GREETING } from './patterns.ts';
import { emailText, countWords, normaliseText } from './text.ts';
import { chooseTitle, cleanSubject } from './title.ts';
import { CONTACT_LEAD } from './trailing-block.ts';
import type { DraftFields, ExtractContext, ExtractionResult, FieldProvenance, Signatory } from './types.ts';
import { isSenderAuthenticated } from './sender-authentication.ts';

/** Fewer words than this after the cover note and signature are taken out: there is no statement here. */
const MIN_STATEMENT_WORDS = 60;
const MAX_NESTED_MESSAGES = 3;
const FALLBACK_TITLE_WORDS = 10;
const COVER_SIGNAL_CHARS = 600;
/** A long cover note gives way to a forwarded message or document this many times longer. */
const LONG_NOTE_RATIO = 2;

/** Where the statement's text was found, and the message it belongs to. */
interface StatementLocation {
  text: string;
  origin: 'text-part' | 'html-part' | 'inline-forward' | 'attached-message' | 'pdf' | 'docx';
  attachment?: ParsedAttachment;
  from: EmailAddress | undefined;
  date: Date | undefined;
  /** A forward header's date when it could only be read as a day. */
  dateIso: string | undefined;
  subject: string | undefined;
  /** What the forwarders and senders wrote around the statement (cover notes), for hints. */
  notes: string[];
  forwardedBy: EmailAddress | undefined;
  warnings: string[];
}

/** A text that opens like a note to the editors: a greeting or a cover-note phrase near the top. */
function hasCoverSignal(text: string): boolean {
  const firstLine = text.trimStart().split('\n', 1)[0] ?? '';
  return GREETING.test(firstLine.trim()) || COVER_PHRASE.test(text.slice(0, COVER_SIGNAL_CHARS));
}

/**
 * True when `inner` (a forwarded message or a document) rather than `outer` holds the statement:
 * the outer text is short, or it is a long note to the editors and the inner text much longer.
 */
function preferInner(outerText: string, outerWords: number, innerWords: number): boolean {
  if (outerWords < MIN_STATEMENT_WORDS) return innerWords > outerWords;
  return innerWords >= outerWords * LONG_NOTE_RATIO && hasCoverSignal(outerText);
}

function statementWords(segments: Segments): number {
  return segments.body.reduce((n, block) => n + countWords(block.join(' ')), 0);
}

function simpleName(name: string | undefined): string {
  return (name ?? '').toLowerCase().replace(/[^\p{L}\s]/gu, '').replace(/\s+/g, ' ').trim();
}

function formatAddress(address: EmailAddress | undefined): string | null {
  if (!address) return null;
  if (address.name && address.address) return `${address.name} <${address.address}>`;
  return address.name || address.address || null;
}

function documentsOf(email: ParsedEmail): ParsedAttachment[] {
  return email.attachments.filter((a) => documentKind(a) !== undefined);
}

/** Follows inline forwards, forwarded attachments and document attachments to the statement's text. */
function locateStatement(email: ParsedEmail, text = emailText(email), depth = 0): StatementLocation {
  const source: StatementLocation = {
    text,
    origin: email.partTypes.includes('text/plain') || !email.html ? 'text-part' : 'html-part',
    from: email.from,
    date: email.date,
    dateIso: undefined,
    subject: email.subject,
    notes: [],
    forwardedBy: undefined,
    warnings: [],
  };
  // Inline forwards, innermost first when the forwarders wrote only a note.
  for (let split = splitForward(source.text), n = 0; split && n < MAX_NESTED_MESSAGES; split = splitForward(source.text), n++) {
    const before = stripQuotedReply(split.before);
    const beforeWords = statementWords(segmentText(before, source.date, source.subject));
    const afterWords = statementWords(segmentText(split.after, split.headers.date ?? source.date, split.headers.subject));
    if (!preferInner(before, beforeWords, afterWords)) {
      source.text = before;
      break;
    }
    source.notes.push(before);
    source.forwardedBy ??= source.from;
    source.from = split.headers.from?.address || split.headers.from?.name ? split.headers.from : source.from;
    source.date = split.headers.date ?? source.date;
    source.dateIso = split.headers.dateIso;
    source.subject = split.headers.subject ?? source.subject;
    source.origin = 'inline-forward';
    source.text = split.after;
  }
  source.text = stripQuotedReply(source.text);
  const words = statementWords(segmentText(source.text, source.date, source.subject));

  // Forwarded as an attachment: the statement is the attached message.
  const inner = email.attachedMessages[0];
  if (inner && depth < MAX_NESTED_MESSAGES) {
    const nested = locateStatement(inner, emailText(inner), depth + 1);
    if (preferInner(source.text, words, statementWords(segmentText(nested.text, nested.date, nested.subject)))) {
      return {
        ...nested,
        origin: nested.origin === 'pdf' || nested.origin === 'docx' ? nested.origin : 'attached-message',
        notes: [source.text, ...source.notes, ...nested.notes],
        forwardedBy: source.forwardedBy ?? email.from,
      };
    }
  }

  // The body is a cover note: the statement is in a PDF or DOCX.
  const documents = documentsOf(email);
  const readable = documents.filter((d) => d.text).sort((a, b) => countWords(b.text!) - countWords(a.text!));
  const best = readable[0];
  if (best && preferInner(source.text, words, countWords(best.text!))) {
    return { ...source, text: normaliseText(best.text!), origin: documentKind(best)!, attachment: best, notes: [source.text, ...source.notes] };
  }
  if (words >= MIN_STATEMENT_WORDS) return source;
  for (const d of documents.filter((d) => d.textError)) {
    source.warnings.push(`${d.filename ?? 'an attachment'}: ${d.textError}; the statement may be in it, check the file`);
  }
  return source;
}

/** The body ends on a sentence, in the scripts of our senders. */
const ENDS_SENTENCE = /[\p{STerm}…»”"')\]]\s*$/u;

/**
 * How sure the body's bounds are: a headline above it, its own date, no note around it and a
 * last line that ends a sentence; anything less and the editor is asked to check.
 */
function confidenceOfBody(segments: Segments, words: number, source: StatementLocation): number {
  if (words < MIN_STATEMENT_WORDS) return 0.3;
  const last = segments.body.at(-1)?.at(-1) ?? '';
  const framed = (segments.headings.length > 0 || segments.labels.length > 0) && segments.dateline !== undefined;
  if (framed && ENDS_SENTENCE.test(last) && !segments.cover.length && !source.notes.length && segments.trailer.length > 0) return 0.8;
  return 0.55;
}

export interface ExtractOptions {
  /**
   * An editor said this email is a statement: make a draft even where the rules would judge it
   * not one (a short text, a follow-up, no text at all).
   */
  asStatement?: boolean;
}

export function extractStatement(email: ParsedEmail, context: ExtractContext, options: ExtractOptions = {}): ExtractionResult {
  const outerText = emailText(email);
  const structural = options.asStatement ? undefined : (structuralVerdict(email, outerText) ?? phishingVerdict(email, outerText));
  if (structural) return { kind: 'not_statement', ...structural };

  const source = locateStatement(email, outerText);
  const segments = segmentText(source.text, source.date, cleanSubject(source.subject));
  const words = statementWords(segments);
  if (!options.asStatement && (source.origin === 'text-part' || source.origin === 'html-part')) {
    const followUp = words < MIN_STATEMENT_WORDS && documentsOf(email).length === 0 ? followUpVerdict(email, source.text) : undefined;
    if (followUp) return { kind: 'not_statement', ...followUp };
  }

  moveOfficeLineToTrailer(segments);
  const bodyBlocks = segments.body.length ? segments.body : segments.cover;
  const body = renderBody(bodyBlocks);
  const headings = segments.headings.map((h) => h.text);
  const fullText = [source.text, ...source.notes].join('\n\n');
  const organisation = guessOrganisation({
    sender: source.from,
    headings,
    firstParagraph: (segments.body[0] ?? []).join(' '),
    signOff: segments.signOff,
    otherLines: [...segments.trailer.flat(), ...segments.cover.flat(), ...source.notes.flatMap((n) => n.split('\n'))],
    subject: cleanSubject(source.subject),
    fullText,
    organisations: context.organisations,
  });
  const title =
    chooseTitle(headings, source.subject, segments.labels, segments.headings) ??
    chooseTitle([], email.subject) ?? {
      title: body.text.split(/\s+/).slice(0, FALLBACK_TITLE_WORDS).join(' ') || '(no title)',
      provenance: { source: 'body-start', confidence: 0.1 },
    };

  let statementDate: string | null;
  let dateProvenance: FieldProvenance;
  if (segments.dateline) {
    statementDate = segments.dateline.iso;
    dateProvenance = { source: segments.dateline.where, confidence: segments.dateline.yearWritten ? 0.9 : 0.8 };
  } else if (source.dateIso || (source.origin === 'inline-forward' && source.date)) {
    statementDate = source.dateIso ?? isoDateOf(source.date);
    dateProvenance = { source: 'forward-header', confidence: 0.45 };
  } else {
    statementDate = isoDateOf(source.date ?? email.date);
    dateProvenance = { source: 'date-header', confidence: 0.4 };
  }

  const parsedSignatories = parseSignatories(segments.signOff, [organisation?.name ?? '', organisation?.short ?? ''].filter(Boolean));
  // Unmarked name lines that name the sender or forwarder are their email signature, not a sign-off.
  const senders = [email.from, source.from, source.forwardedBy].map((a) => simpleName(a?.name)).filter((n) => n.length > 2);
  const signedOff =
    segments.signOffKind === 'name-lines'
      ? parsedSignatories.filter((s) => !senders.some((n) => n.includes(simpleName(s.name)) || simpleName(s.name).includes(n)))
      : parsedSignatories;
  const organisationNames = organisationNamesOf(organisation);
  // No sign-off in capitals: names and roles in scripts without capitals ("幹事長　吉田忠智", a name over "महासचिव").
  const scriptSigners = signedOff.length ? [] : caselessScriptSigners(closingLines(segments));
  // Else who the heading says issues it ("Statement from the Central Committee of X on …"), the people
  // quoted as its voices, or the people the opening names as its speakers ("X, Role, said:").
  const speakers =
    signedOff.length || scriptSigners.length
      ? []
      : firstFound(
          () => issuerOfHeadings(headings, organisationNames),
          () => quotedSpeakers(segments.body),
          () => speakersInOpening(segments.body),
          () => caselessOpeningSigners(segments.body),
          () => officeInHeadingOrOpening([], (segments.body[0] ?? []).join(' '), organisationNames),
        );
  // Neither: a body or office signing on its own line where the statement ends ("Central Committee").
  const offices = signedOff.length || scriptSigners.length || speakers.length ? [] : officeSignatory(officeCandidates(segments), organisationNames);
  // The organisation's own name under the statement ("Kilusang Mayo Uno" from KMU) sends it; it does not
  // sign it (unless a "Signed by:" block lists it among the co-signers).
  const listed = signedOff.length > 0 && segments.signOffKind === 'marker';
  const signatories = (signedOff.length ? signedOff : scriptSigners.length ? scriptSigners : speakers.length ? speakers : offices).filter((s) => listed || s.role !== null || !namesTheOrganisation(s.name, organisation));
  // A body too short to tell: the language of the whole text the statement came in (less sure).
  const bodyLanguage = detectLanguage(body.text);
  const wholeLanguage = bodyLanguage.code ? undefined : detectLanguage(source.text);
  const language = wholeLanguage?.code ? { code: wholeLanguage.code, confidence: Math.min(wholeLanguage.confidence, 0.55) } : bodyLanguage;
  const warnings = [...source.warnings];
  const list = mailingListOf(email);
  if (list) warnings.push(`arrived through a mailing list: "${list.name}" (${list.evidence})`);
  if (source.attachment) warnings.push(`the statement was taken from the attached ${source.origin.toUpperCase()} "${source.attachment.filename ?? 'document'}"`);
  if (words < MIN_STATEMENT_WORDS) warnings.push('the statement text is very short: check that nothing is missing');

  const draft: DraftFields = {
    title: title.title,
    organisationName: organisation?.name ?? null,
    organisationShort: organisation?.short ?? null,
    organisationId: organisation?.known?.id ?? null,
    statementDate,
    language: language.code,
    bodyText: body.text,
    bodyHtml: body.html,
    signatories,
    forwardedBy: formatAddress(source.forwardedBy),
    senderAddress: source.from?.address?.toLowerCase() || null,
    // Known to the registry is not enough: the From address must be the one our receiving server
    // authenticated, and the statement must not come from a forward someone else typed.
    senderVerified:
      organisation?.provenance.source === 'registry' &&
      source.from?.address?.toLowerCase() === email.from?.address?.toLowerCase() &&
      isSenderAuthenticated(email, context.trustedAuthservIds),
    provenance: {
      title: title.provenance,
      organisation: organisation?.provenance ?? { source: 'none', confidence: 0 },
      date: dateProvenance,
      body: { source: source.attachment ? `${source.origin}:${source.attachment.filename ?? 'attachment'}` : source.origin, confidence: confidenceOfBody(segments, words, source) },
      signatories: scriptSigners.length
        ? { source: 'name-lines', confidence: 0.5 }
        : speakers.length
        ? { source: 'opening-sentence', confidence: 0.5 }
        : offices.length
        ? { source: 'office-line', confidence: 0.55 }
        : signatories.length
        ? { source: segments.signOffKind === 'marker' ? 'sign-off-block' : 'name-lines', confidence: segments.signOffKind === 'marker' ? 0.85 : 0.5 }
        : { source: 'none', confidence: 0.5 },
      language: { source: 'franc', confidence: language.confidence },
    },
    warnings,
  };
  return { kind: 'statement', draft, bodyIsShort: words < MIN_STATEMENT_WORDS || segments.cover.length > 0 };
}

function organisationNamesOf(organisation: { name: string; short: string | null } | null | undefined): string[] {
  return [organisation?.name ?? '', organisation?.short ?? ''].filter(Boolean);
}

function firstFound(...rules: (() => Signatory[])[]): Signatory[] {
  for (const rule of rules) {
    const found = rule();
    if (found.length) return found;
  }
  return [];
}

/** The short lines ending the statement's text (a block without sentences), its sign-off and the lines after it. */
function closingLines(segments: { body: string[][]; signOff: string[]; trailer: string[][] }): string[] {
  const last = segments.body.length > 1 ? (segments.body.at(-1) ?? []) : [];
  const short = last.length <= 4 && last.every((l) => l.trim().split(/\s+/).length <= 6 && !/[.!?…。।]$/u.test(l.trim()));
  return [...(short ? last : []), ...segments.signOff, ...segments.trailer.flat()].slice(0, 12);
}

/** The statement's last line (unless it ends a sentence) and the first lines after it. */
function officeCandidates(segments: { body: string[][]; signOff: string[]; trailer: string[][] }): string[] {
  // The blocks ending the body without a sentence among them (a sign-off and an address the body kept), in order.
  const unpunctuated: string[] = [];
  for (let i = segments.body.length - 1; i >= Math.max(1, segments.body.length - 3); i--) {
    const block = segments.body[i]!;
    if (block.some((line) => endsSentence(line.trim()))) {
      const last = block.at(-1)!.trim();
      if (!endsSentence(last)) unpunctuated.unshift(last);
      break;
    }
    unpunctuated.unshift(...block.map((line) => line.trim()));
  }
  const lines = [...unpunctuated.slice(0, 6), ...segments.signOff, ...segments.trailer.flat()].slice(0, 8);
  // Under "For more information, contact:" stands a press contact ("General Secretariat"), not a signer.
  const lead = lines.findIndex((l) => CONTACT_LEAD.test(l.trim()));
  return lead >= 0 ? lines.slice(0, lead) : lines;
}

function endsSentence(line: string): boolean {
  return /[.!?…。।۔؟]$/u.test(line) && !/\.\p{L}{1,3}\.$/u.test(line);
}

/** A body signing on the statement's last line ("From the Executive Committee") is a sign-off, not body text. */
function moveOfficeLineToTrailer(segments: { body: string[][]; trailer: string[][] }): void {
  const lastBlock = segments.body.at(-1);
  const last = lastBlock?.at(-1)?.trim() ?? '';
  if (!lastBlock || segments.body.length < 2 || !isOfficeLine(last) || (/[.!?…。]$/u.test(last) && !/\.\p{L}{1,3}\.$/u.test(last))) return;
  lastBlock.pop();
  if (!lastBlock.length) segments.body.pop();
  segments.trailer.unshift([last]);
}

/** True when `name` is the organisation itself: its name or short name, "Name (SHORT)", or words whose initials are the short name. */
export function namesTheOrganisation(name: string, organisation: { name: string; short: string | null } | null | undefined): boolean {
  if (!organisation) return false;
  const lower = name.trim().toLowerCase();
  const short = organisation.short ?? (/^[\p{Lu}\p{N}.&-]{2,12}$/u.test(organisation.name) ? organisation.name : null);
  if (lower === organisation.name.toLowerCase() || (short && lower === short.toLowerCase())) return true;
  // "Full Name (SHORT)" under the statement, in any script.
  if ([organisation.name, organisation.short].some((n) => n && n.length > 1 && name.includes(`(${n})`))) return true;
  if (!short) return false;
  if (name.includes(`(${short})`)) return true;
  const initials = name.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w)).map((w) => w[0]).join('');
  return initials.length >= 2 && initials === short.replace(/[^\p{L}\p{N}]/gu, '');
}
