import { sanitizeEmailHtml, htmlToText } from '/work/wt-a2/src/html/sanitize.ts';
const n = Number(process.argv[2] ?? 20000);
const d = 100;
const shapes: Record<string,string> = {
  flatspan: '<span>a</span>'.repeat(n),
  flatdiv: '<div>a</div>'.repeat(n),
  nested100span: ('<span>a'.repeat(d) + '</span>'.repeat(d)).repeat(n / d),
  nested100div: ('<div>a'.repeat(d) + '</div>'.repeat(d)).repeat(n / d),
};
for (const [name, html] of Object.entries(shapes)) {
  let t = performance.now();
  const out = sanitizeEmailHtml(html);
  const s = performance.now() - t;
  t = performance.now();
  htmlToText(html);
  console.log(name, html.length, 'sanitize', Math.round(s), 'ms out', out.length, 'toText', Math.round(performance.now() - t));
}
