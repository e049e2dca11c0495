// Reads PDF and DOCX documents for attachment-text.ts in a worker thread started without the
// TypeScript loader, so that pdfjs and mammoth load at native speed (several times faster than
// through tsx) and a slow or hostile document never blocks the service's event loop.
// Protocol: { id, kind: 'pdf' | 'docx', data: Uint8Array, maxPages } ->
//   { id, pages: [{ str, hasEOL, y, height }[]] } | { id, html } | { id, error }.
import { parentPort } from 'node:worker_threads';

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

async function readPdf(data, maxPages) {
  const library = await loadPdfJs();
  const task = library.getDocument({ data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  const doc = await task.promise;
  try {
    const pages = [];
    for (let n = 1; n <= Math.min(doc.numPages, maxPages); n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(
        content.items
          .filter((item) => 'str' in item)
          .map((item) => ({ str: item.str, hasEOL: item.hasEOL, y: item.transform[5] ?? 0, height: item.height || Math.abs(item.transform[3] ?? 0) })),
      );
      page.cleanup();
    }
    return { pages };
  } finally {
    await task.destroy();
  }
}

async function readDocx(data) {
  const mammoth = await import('mammoth');
  const { value } = await mammoth.default.convertToHtml({ buffer: Buffer.from(data) });
  return { html: value };
}

parentPort.on('message', async ({ id, kind, data, maxPages }) => {
  try {
    const result = kind === 'pdf' ? await readPdf(data, maxPages) : await readDocx(data);
    parentPort.postMessage({ id, ...result });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
