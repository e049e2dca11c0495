// Reads PDF and DOCX documents for attachment-text.ts in a worker thread started without the
// TypeScript loader, so that pdfjs and mammoth load at native speed (several times faster than
// through tsx) and a slow or hostile document never blocks the service's event loop. Before
// either library sees a file, document-bounds.mjs inflates its compressed parts within a byte
// budget (decompression bombs are refused); pages stop at maxPages and at maxTextChars of text.
// attachment-text.ts runs it in a piscina pool, which calls the default export once per document:
// { kind: 'pdf' | 'docx', data: Uint8Array, maxPages, maxTextChars, maxInflatedBytes, maxParagraphs } ->
//   { pages: [{ str, hasEOL, y, height }[]], inflatedBytes } | { html, inflatedBytes } | { error, tooLarge? }.
// Every error a document causes is answered; only a crash, the heap limit or a hang ends the
// worker, and then the pool fails that document alone.
import { checkDocx, checkPdf, DocumentTooLarge } from './document-bounds.mjs';

let pdfjs;

async function loadPdfJs() {
  if (!pdfjs) {
    const [library, worker] = await Promise.all([
      import('pdfjs-dist/legacy/build/pdf.min.mjs'),
      import('pdfjs-dist/legacy/build/pdf.worker.min.mjs'),
    ]);
    // pdfjs runs its worker code in this thread when it finds it here.
    globalThis.pdfjsWorker = worker;
    pdfjs = library;
  }
  return pdfjs;
}

async function readPdf(data, limits) {
  const { inflatedBytes } = checkPdf(data, { maxBytes: limits.maxInflatedBytes });
  const library = await loadPdfJs();
  const task = library.getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    // Images are never drawn: no canvas, no image decoders.
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    maxImageSize: 0,
  });
  const doc = await task.promise;
  try {
    const pages = [];
    let chars = 0;
    for (let n = 1; n <= Math.min(doc.numPages, limits.maxPages) && chars < limits.maxTextChars; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        // The text budget: a document of endless text stops here, not in the editor's browser.
        const str = item.str.slice(0, Math.max(0, limits.maxTextChars - chars));
        chars += str.length;
        items.push({ str, hasEOL: item.hasEOL, y: item.transform[5] ?? 0, height: item.height || Math.abs(item.transform[3] ?? 0) });
        if (chars >= limits.maxTextChars) break;
      }
      pages.push(items);
      page.cleanup();
    }
    return { pages, inflatedBytes };
  } finally {
    await task.destroy();
  }
}

async function readDocx(data, limits) {
  const { inflatedBytes } = checkDocx(data, { maxBytes: limits.maxInflatedBytes, maxParagraphs: limits.maxParagraphs });
  const mammoth = await import('mammoth');
  const { value } = await mammoth.default.convertToHtml({ buffer: Buffer.from(data) });
  return { html: value.slice(0, limits.maxTextChars * 4), inflatedBytes };
}

export default async function readDocument({ kind, data, ...limits }) {
  try {
    return kind === 'pdf' ? await readPdf(data, limits) : await readDocx(data, limits);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), tooLarge: error instanceof DocumentTooLarge };
  }
}
