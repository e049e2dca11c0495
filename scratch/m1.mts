import { sanitizeEmailHtml, htmlToText } from '/work/wt-a2/src/html/sanitize.ts';
const n = Number(process.argv[2] ?? 20000);
const shapes: Record<string,string> = {
  div: '<div>'.repeat(n) + 'x' + '</div>'.repeat(n),
  divtext: '<div>a'.repeat(n) + '</div>'.repeat(n),
  unclosedDiv: '<div>'.repeat(n) + 'x',
  font: '<font>a'.repeat(n),
  span: '<span>a'.repeat(n),
  b: '<b>'.repeat(n) + 'x',
};
for (const [name, html] of Object.entries(shapes)) {
  let t = performance.now();
  const out = sanitizeEmailHtml(html);
  const s = performance.now() - t;
  t = performance.now();
  htmlToText(html);
  console.log(name, html.length, 'sanitize', Math.round(s), 'ms out', out.length, 'toText', Math.round(performance.now() - t));
}
