// Reads mbox files as a stream of raw messages, one message in memory at a time, whatever the
// size of the file (a Gmail Takeout export is one mbox of many GB).
//
// A message starts at a "From " line at the start of the file or after a blank line; the
// envelope line itself is not part of the message, nor is the blank line that separates
// messages. Bytes are kept as they are. Two dialects escape body lines differently:
//   mboxrd: a writer adds one ">" to every line matching /^>*From / ; a reader removes one
//           from every line matching /^>+From /, and gets the original back.
//   mboxo:  a writer adds ">" to "From " lines only, so ">From " in the original and an escaped
//           "From " look the same; a reader leaves every line as it is.
// detectMboxFormat tells them apart when it can (mboxrd is the one that writes ">>From ");
// `statement-desk import --format` chooses.
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';

export type MboxFormat = 'mboxrd' | 'mboxo';

/** Read size: large enough for few system calls, small enough that memory stays flat. */
const READ_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

export function looksLikeMbox(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString('latin1') === 'From ';
}

/** Whether the file at `file` starts like an mbox, reading only its first bytes. */
export async function fileLooksLikeMbox(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(5);
    const { bytesRead } = await handle.read(head, 0, 5, 0);
    return looksLikeMbox(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function isFromLine(line: Buffer): boolean {
  return line.length >= 5 && line[0] === 0x46 && line.subarray(0, 5).toString('latin1') === 'From ';
}

function isBlank(line: Buffer): boolean {
  return (line.length === 1 && line[0] === NEWLINE) || (line.length === 2 && line[0] === 0x0d && line[1] === NEWLINE);
}

/** /^>+From / */
function isEscapedFromLine(line: Buffer): boolean {
  let i = 0;
  while (i < line.length && line[i] === 0x3e) i++;
  return i > 0 && line.subarray(i, i + 5).toString('latin1') === 'From ';
}

/**
 * Splits mbox bytes pushed in chunks of any size (a line, even a message, may span chunks) into
 * raw messages. Holds one message and one unfinished line, never the file.
 */
export class MboxSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private current: Buffer[] | undefined;
  /** A blank line held back: the separator, if a "From " line follows it. */
  private heldBlank: Buffer | undefined;
  private atStart = true;

  constructor(private readonly format: MboxFormat) {}

  /** The messages completed by this chunk. */
  push(chunk: Buffer): Buffer[] {
    const done: Buffer[] = [];
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(NEWLINE, start); end >= 0; end = data.indexOf(NEWLINE, start)) {
      this.line(data.subarray(start, end + 1), done);
      start = end + 1;
    }
    // Copied, so the chunk it came from can be freed.
    this.carry = Buffer.from(data.subarray(start));
    return done;
  }

  /** The last message (and a last line without a newline). */
  end(): Buffer[] {
    const done: Buffer[] = [];
    if (this.carry.length) this.line(this.carry, done);
    this.carry = Buffer.alloc(0);
    if (this.heldBlank) this.current?.push(this.heldBlank);
    this.heldBlank = undefined;
    this.finish(done);
    return done;
  }

  private line(line: Buffer, done: Buffer[]): void {
    const previousBlank = this.atStart || this.heldBlank !== undefined;
    this.atStart = false;
    if (previousBlank && isFromLine(line)) {
      // The blank line before an envelope line separates messages: it belongs to neither.
      this.heldBlank = undefined;
      this.finish(done);
      this.current = [];
      return;
    }
    if (this.heldBlank) this.current?.push(this.heldBlank);
    this.heldBlank = undefined;
    if (isBlank(line)) {
      this.heldBlank = line;
      return;
    }
    if (this.format === 'mboxrd' && isEscapedFromLine(line)) this.current?.push(line.subarray(1));
    else this.current?.push(line);
  }

  private finish(done: Buffer[]): void {
    if (!this.current) return;
    const message = Buffer.concat(this.current);
    this.current = undefined;
    if (message.toString('latin1').trim()) done.push(message);
  }
}

/** Splits a whole mbox held in memory (small files, tests). */
export function splitMbox(bytes: Buffer, format: MboxFormat = 'mboxrd'): Buffer[] {
  const splitter = new MboxSplitter(format);
  return [...splitter.push(bytes), ...splitter.end()];
}

/** The messages of an mbox file, read as a stream. */
export async function* readMboxFile(file: string, format: MboxFormat): AsyncGenerator<Buffer> {
  const splitter = new MboxSplitter(format);
  for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) {
    yield* splitter.push(chunk as Buffer);
  }
  yield* splitter.end();
}

export interface DetectedFormat {
  format: MboxFormat;
  /** Why, for the operator. */
  reason: string;
}

/**
 * Tells mboxrd from mboxo by what the writer left: ">>From " lines come only from mboxrd
 * writers (they escape ">From " again); a file with ">From " lines but none of those is taken
 * as mboxo, whose lines are kept as written. Reads the whole file once, as a stream.
 */
export async function detectMboxFormat(file: string): Promise<DetectedFormat> {
  let escaped = 0;
  let doubly = 0;
  let carry = '';
  for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) {
    const text = carry + (chunk as Buffer).toString('latin1');
    const lastNewline = text.lastIndexOf('\n');
    const whole = text.slice(0, lastNewline + 1);
    // The unfinished line's start is all a match needs; a NUL ends it, so it matches no further.
    const partial = text.slice(lastNewline + 1);
    carry = partial.length > 64 ? `${partial.slice(0, 64)}\0` : partial;
    for (const match of whole.matchAll(/^(>+)From /gm)) {
      if (match[1]!.length > 1) doubly++;
      else escaped++;
    }
    if (doubly) break;
  }
  if (doubly) return { format: 'mboxrd', reason: 'it has ">>From " lines, which only mboxrd writers make' };
  if (escaped) return { format: 'mboxo', reason: `it has ${escaped} ">From " line(s) and no ">>From ": kept as written (use --format mboxrd to unescape them)` };
  return { format: 'mboxrd', reason: 'no escaped "From " lines: both dialects read it the same' };
}
