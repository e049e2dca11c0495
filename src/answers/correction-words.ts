// Whether a message reads as a correction of, or an addition to, a statement the same sender
// sent before, and whether two titles are near-identical. Pure; the languages our senders write in.

/** "corrected version", "please add our signature", … in English, French, Spanish, Portuguese,
 * German, Indonesian/Malay, Tagalog, Russian, Chinese and Japanese. */
const CORRECTION =
  /(?<![\p{L}\p{N}])(?:correct(?:ed|ion)|updated? (?:statement|version|text)|revised (?:statement|version|text)|amended|new version|errat(?:um|a)|please (?:add|include) (?:our|my|the) (?:signature|name|organisation|organization)s?|add our (?:signature|name)s?|please replace|version corrig[ée]e|corrig[ée]e?|rectificati(?:f|on)|nouvelle version|version mise à jour|merci d[’']ajouter notre signature|versi[óo]n corregida|corregida|correcci[óo]n|versi[óo]n actualizada|nueva versi[óo]n|fe de erratas|a[ñn]adan? nuestra firma|vers[ãa]o corrigida|corrigida|corre[cç][cç][ãa]o|vers[ãa]o atualizada|nova vers[ãa]o|acrescent(?:em|ar) a nossa assinatura|korrigierte (?:fassung|version)|korrektur|aktualisierte (?:fassung|version)|berichtigung|neue fassung|unsere unterschrift hinzu|versi (?:koreksi|revisi|yang diperbaiki|yang dibetulkan|terbaru)|pembetulan|perbaikan|ralat|tambahkan tanda tangan kami|itinamang bersyon|pagwawasto|исправленн\S*|исправлени\S*|обновл[её]нн\S* верси\S*|добавьте нашу подпись)(?=$|[^\p{L}])|更正|修订版|修正版|訂正|修正版/iu;

/** Subject prefixes of replies and forwards, in several mail clients' languages. */
const REPLY_PREFIX = /^(?:\s*(?:re|fwd?|aw|wg|tr|rv|sv|vs|r|res|enc|antw|回复|转发|答复)\s*(?:\[\d+\])?\s*[:：]\s*)+/iu;

export function readsAsCorrection(subject: string | null | undefined, body: string | null | undefined): boolean {
  const head = `${subject ?? ''}\n${(body ?? '').slice(0, 600)}`;
  return CORRECTION.test(head);
}

/** Words of a title without reply prefixes, correction words, brackets and punctuation. */
export function titleWords(title: string | null | undefined): string[] {
  const plain = (title ?? '')
    .normalize('NFKC')
    .replace(REPLY_PREFIX, '')
    .replace(new RegExp(CORRECTION.source, 'giu'), ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 || /[\p{N}]|[^\x00-\x7f]/u.test(w));
  return plain;
}

/** Near-identical: 80% of the shorter title's words are in the other and make 70% of it (three words or more, or the same words). */
export function nearIdenticalTitles(a: string | null | undefined, b: string | null | undefined): boolean {
  const wa = new Set(titleWords(a));
  const wb = new Set(titleWords(b));
  // "Statement 12" and "Statement 13" are two statements, however alike the rest.
  const numbers = (words: Set<string>) => [...words].filter((w) => /^\p{N}+$/u.test(w)).sort().join(' ');
  if (numbers(wa) !== numbers(wb)) return false;
  const [small, large] = wa.size <= wb.size ? [wa, wb] : [wb, wa];
  if (small.size < 3 && !(small.size > 0 && small.size === large.size && [...small].every((w) => large.has(w)))) return false;
  let shared = 0;
  for (const w of small) if (large.has(w)) shared += 1;
  return shared / small.size >= 0.8 && shared / large.size >= 0.7;
}

/** The new text of a reply: without the quoted message below it. */
export function withoutQuotedReply(text: string | null | undefined): string {
  const lines = (text ?? '').replace(/\r\n/g, '\n').split('\n');
  const cut = lines.findIndex((line) => /^\s*>/.test(line) || /^(?:On .+ wrote|Le .+ a écrit|El .+ escribió|Em .+ escreveu|Am .+ schrieb)\s*:\s*$/i.test(line.trim()) || /^-{2,}\s*(?:Original Message|Message d['’]origine|Mensaje original)/i.test(line.trim()));
  return (cut >= 0 ? lines.slice(0, cut) : lines).join('\n').trim();
}

/**
 * The statement text of a correction, comparable with the statement's own: without a cover note
 * at the top ("Here is the corrected version."), the title line, and the closing signature block
 * (the statement keeps its title and signatories in their own fields).
 */
export function correctionText(bodyText: string, known: { titles: string[]; signatoryNames: string[] }): string {
  const key = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const paragraphs = withoutQuotedReply(bodyText).split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  while (paragraphs.length > 1 && paragraphs[0]!.length < 200 && readsAsCorrection('', paragraphs[0])) paragraphs.shift();
  const titles = new Set(known.titles.map(key).filter(Boolean));
  const kept = paragraphs.filter((p) => !titles.has(key(p)));
  const names = known.signatoryNames.map(key).filter(Boolean);
  while (kept.length > 1 && names.length && kept.at(-1)!.split('\n').every((line) => names.some((n) => key(line).startsWith(n)))) kept.pop();
  return kept.join('\n\n');
}
