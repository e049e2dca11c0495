import { readFileSync, readdirSync } from 'node:fs';
import { readDocxText, readPdfText } from '../src/extract/attachment-text.ts';
const dir = 'node_modules/mammoth/test/test-data/';
let ok = 0, bad: string[] = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.docx'))) {
  try { await readDocxText(readFileSync(dir + f)); ok++; } catch (e) { bad.push(`${f}: ${(e as Error).message}`); }
}
console.log('docx ok', ok, 'errors', bad);
for (const f of ['/usr/share/doc/libtasn1-doc/libtasn1.pdf', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf']) {
  const t0 = performance.now();
  try { const t = await readPdfText(readFileSync(f)); console.log(f, t.length, Math.round(performance.now() - t0)); } catch (e) { console.log(f, 'ERR', (e as Error).message); }
}
process.exit(0);
