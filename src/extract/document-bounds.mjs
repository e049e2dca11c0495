// Checks a PDF or DOCX for decompression bombs before pdfjs or mammoth reads it (in the
// document worker, document-worker.mjs). Both libraries inflate what a file declares without a
// ceiling: a 2.8 MB PDF inflated to 2 GB, a DOCX zip bomb likewise. Here every compressed part
// is inflated once by zlib with `maxOutputLength`, so memory never passes the budget, and a file
// whose parts inflate past it is refused with a reason. Plain JavaScript: the worker runs
// without the TypeScript loader.
import { inflateRawSync, inflateSync } from 'node:zlib';

export class DocumentTooLarge extends Error {}

const MB = 1024 * 1024;

/**
 * Inflates `data` (zlib, or raw deflate when it has no zlib header) to at most `limit` bytes.
 * Returns the inflated bytes, or throws DocumentTooLarge when there would be more.
 */
function inflateAtMost(data, limit, raw, tooLarge) {
  try {
    return (raw ? inflateRawSync : inflateSync)(data, { maxOutputLength: Math.max(1, limit) });
  } catch (error) {
    if (error instanceof RangeError || error?.code === 'ERR_BUFFER_TOO_LARGE') throw new DocumentTooLarge(tooLarge);
    if (!raw) {
      // Some producers write bare deflate data (or a broken zlib trailer): try it raw once.
      try {
        return inflateAtMost(data, limit, true, tooLarge);
      } catch (again) {
        if (again instanceof DocumentTooLarge) throw again;
      }
    }
    // Damaged data: pdfjs reads what it can of it, within the same sizes.
    return Buffer.alloc(0);
  }
}

// --- DOCX (a zip archive) ---------------------------------------------------------------

/**
 * Reads the zip's central directory and inflates every member within `maxBytes` in all; counts
 * the paragraphs of word/document.xml. Throws DocumentTooLarge past the limits.
 */
export function checkDocx(data, { maxBytes, maxParagraphs, maxEntries = 2000 }) {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const entries = centralDirectory(buffer, maxEntries);
  let total = 0;
  for (const entry of entries) {
    if (entry.method !== 0 && entry.method !== 8) continue; // mammoth cannot read it either
    const start = entry.localOffset + 30 + buffer.readUInt16LE(entry.localOffset + 26) + buffer.readUInt16LE(entry.localOffset + 28);
    const compressed = buffer.subarray(start, start + entry.compressedSize);
    const room = maxBytes - total;
    const what = `the DOCX's part ${entry.name}`;
    if (entry.uncompressedSize > room) throw new DocumentTooLarge(`${what} declares ${Math.round(entry.uncompressedSize / MB)} MB; all parts together may have ${Math.round(maxBytes / MB)} MB`);
    // The declared size can lie: inflate to at most what is left of the budget.
    const content = entry.method === 0 ? compressed : inflateAtMost(compressed, room, true, `the DOCX's parts inflate to more than ${Math.round(maxBytes / MB)} MB`);
    total += content.length;
    if (entry.name === 'word/document.xml') {
      const paragraphs = countParagraphs(content, maxParagraphs);
      if (paragraphs > maxParagraphs) throw new DocumentTooLarge(`the DOCX has more than ${maxParagraphs.toLocaleString('en')} paragraphs`);
    }
  }
  return { inflatedBytes: total };
}

function centralDirectory(buffer, maxEntries) {
  // The end-of-central-directory record: in the last 22 + 65535 bytes.
  let end = -1;
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at--) {
    if (buffer.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('it is not a zip archive (no central directory)');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new DocumentTooLarge('the DOCX is a ZIP64 archive, far larger than a statement');
  if (count > maxEntries) throw new DocumentTooLarge(`the DOCX has more than ${maxEntries} parts`);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== 0x02014b50) throw new Error('its zip directory is damaged');
    const nameLength = buffer.readUInt16LE(at + 28);
    const entry = {
      method: buffer.readUInt16LE(at + 10),
      compressedSize: buffer.readUInt32LE(at + 20),
      uncompressedSize: buffer.readUInt32LE(at + 24),
      localOffset: buffer.readUInt32LE(at + 42),
      name: buffer.toString('utf8', at + 46, at + 46 + nameLength),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) throw new DocumentTooLarge('the DOCX is a ZIP64 archive, far larger than a statement');
    if (entry.localOffset + 30 > buffer.length) throw new Error('its zip directory is damaged');
    entries.push(entry);
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  return entries;
}

/** `<w:p>` and `<w:p ...>` start tags (not `<w:pPr>`), counted up to just past `limit`. */
function countParagraphs(xml, limit) {
  let count = 0;
  for (let at = xml.indexOf('<w:p'); at !== -1 && count <= limit; at = xml.indexOf('<w:p', at + 4)) {
    const next = xml[at + 4];
    if (next === 0x3e || next === 0x20 || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) count++;
  }
  return count;
}

// --- PDF ----------------------------------------------------------------------------------

const IMAGE_FILTERS = new Set(['DCTDecode', 'DCT', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode', 'CCF']);
/** Most a filter we do not decode here can grow its input (RunLength: 128 bytes from 2; LZW's codes grow slowly). */
const GROWTH = { RunLengthDecode: 64, RL: 64, LZWDecode: 8, LZW: 8 };

/**
 * Inflates every Flate stream of the PDF (chains included) within `maxBytes` in all, without
 * parsing the document: `stream` ... `endstream` with the dictionary before it. Streams of
 * image codecs (JPEG, JPEG 2000, JBIG2, fax) count as they are: text extraction never decodes
 * them. Flate images count inflated, although pdfjs would not inflate them for text: a content
 * stream can call itself an image, and PNG-like bitmaps past 100 MB are rare in a statement.
 */
export function checkPdf(data, { maxBytes }) {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const text = buffer.toString('latin1');
  let total = 0;
  const keyword = /stream\r?\n/g;
  for (let match = keyword.exec(text); match; match = keyword.exec(text)) {
    const start = match.index + match[0].length;
    if (text.slice(match.index - 3, match.index) === 'end') continue;
    const end = text.indexOf('endstream', start);
    const stop = end === -1 ? text.length : end;
    keyword.lastIndex = stop;
    const dictionary = text.slice(Math.max(0, text.lastIndexOf('obj', match.index)), match.index);
    const filters = [...(dictionary.match(/\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/)?.[1] ?? '').matchAll(/\/([A-Za-z0-9]+)/g)].map((m) => m[1]);
    let content = buffer.subarray(start, stop);
    let size = content.length;
    for (const filter of filters) {
      if (IMAGE_FILTERS.has(filter)) break;
      if (filter === 'FlateDecode' || filter === 'Fl') {
        content = inflateAtMost(content, maxBytes - total, false, `the PDF's streams inflate to more than ${Math.round(maxBytes / MB)} MB`);
        size = content.length;
      } else if (filter === 'ASCIIHexDecode' || filter === 'AHx') {
        content = Buffer.from(content.toString('latin1').replace(/[^0-9a-f]/gi, ''), 'hex');
        size = content.length;
      } else if (filter === 'ASCII85Decode' || filter === 'A85') {
        content = decodeAscii85(content.toString('latin1'));
        size = content.length;
      } else {
        // Not decoded here: count the most it could grow to, and stop following the chain.
        size = content.length * (GROWTH[filter] ?? 1);
        break;
      }
    }
    total += size;
    if (total > maxBytes) throw new DocumentTooLarge(`the PDF's streams inflate to more than ${Math.round(maxBytes / MB)} MB`);
  }
  return { inflatedBytes: total };
}

function decodeAscii85(text) {
  const body = text.replace(/\s/g, '').replace(/^<~/, '').replace(/~>[^]*$/, '');
  const out = Buffer.alloc(Math.ceil(body.length / 5) * 4 + body.length * 4 * Number(body.includes('z')));
  let length = 0;
  const group = [];
  const flush = (count) => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
    for (let i = 0; i < count; i++) out[length++] = Math.floor(value / 2 ** (24 - 8 * i)) & 255;
    group.length = 0;
  };
  for (const char of body) {
    if (char === 'z' && group.length === 0) {
      out.fill(0, length, length + 4);
      length += 4;
      continue;
    }
    const code = char.charCodeAt(0) - 33;
    if (code < 0 || code > 84) continue;
    group.push(code);
    if (group.length === 5) flush(4);
  }
  if (group.length > 1) flush(group.length - 1);
  return out.subarray(0, length);
}
