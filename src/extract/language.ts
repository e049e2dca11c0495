// The statement's language as an ISO 639-1 code, detected with franc's method and models (trigram
// statistics). franc answers in ISO 639-3; the table maps the languages our senders write in. Pure.
//
// franc itself filtered its 400 models by our candidate list and looked every trigram of the
// sample up in each candidate's model, on every call: about a seventh of the pipeline's time over
// mailparser's. The same scoring over the same models (franc/data.js, franc/expressions.js),
// indexed once: one lookup per trigram gives its rank in every candidate model of the script.
// It picks what franc picks (test/extract/language.test.ts compares the two).
import { data } from 'franc/data.js';
import { expressions } from 'franc/expressions.js';

const ISO_639_3_TO_1: Record<string, string> = {
  eng: 'en', fra: 'fr', spa: 'es', por: 'pt', deu: 'de', ita: 'it', nld: 'nl', tgl: 'tl', zlm: 'ms', zsm: 'ms',
  ind: 'id', rus: 'ru', ukr: 'uk', pol: 'pl', tur: 'tr', arb: 'ar', hin: 'hi', ben: 'bn', urd: 'ur', tam: 'ta',
  tel: 'te', mar: 'mr', guj: 'gu', pan: 'pa', mal: 'ml', kan: 'kn', npi: 'ne', sin: 'si', tha: 'th', vie: 'vi',
  jpn: 'ja', kor: 'ko', cmn: 'zh', ell: 'el', swe: 'sv', dan: 'da', nob: 'nb', fin: 'fi', ces: 'cs', slk: 'sk',
  hun: 'hu', ron: 'ro', bul: 'bg', srp: 'sr', hrv: 'hr', bos: 'bs', slv: 'sl', cat: 'ca', eus: 'eu', glg: 'gl',
  heb: 'he', pes: 'fa', swh: 'sw', mya: 'my', khm: 'km', lao: 'lo', kat: 'ka', hye: 'hy', azj: 'az', kaz: 'kk',
  uzn: 'uz', bel: 'be', lit: 'lt', lvs: 'lv', ekk: 'et', sqi: 'sq', mkd: 'mk', afr: 'af', som: 'so', amh: 'am',
  hau: 'ha', yor: 'yo', ibo: 'ig', zul: 'zu', xho: 'xh', ceb: 'ceb',
};
/** Only these are considered: a restricted set makes franc far more reliable on short texts. */
export const CANDIDATES = Object.keys(ISO_639_3_TO_1).filter((code) => code !== 'ceb');
const SAMPLE_CHARS = 1200;
const MIN_CHARS = 40;

export function detectLanguage(text: string): { code: string | null; confidence: number } {
  const sample = text.slice(0, SAMPLE_CHARS);
  if (sample.replace(/\s+/g, '').length < MIN_CHARS) return { code: null, confidence: 0 };
  const code = guessLanguage(sample);
  const mapped = ISO_639_3_TO_1[code] ?? null;
  if (!mapped) return { code: null, confidence: 0 };
  // Longer samples make the guess surer; below ~300 characters franc often hesitates.
  return { code: mapped, confidence: sample.length >= 300 ? 0.9 : 0.6 };
}

/** franc's constants: the longest sample it reads, and the distance of a trigram a model lacks. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

/** The candidates written in a script franc has several models for, and their ranks by trigram. */
interface ScriptModels {
  languages: string[];
  /** For each trigram, its rank in each language's model (-1: not in it). */
  ranks: Map<string, Int16Array>;
}

const candidateSet = new Set(CANDIDATES);
const scriptModels = new Map<string, ScriptModels>();
for (const [script, models] of Object.entries(data)) {
  // franc's order (its models' order), which decides ties.
  const languages = Object.keys(models).filter((language) => candidateSet.has(language));
  const ranks = new Map<string, Int16Array>();
  languages.forEach((language, index) => {
    const model = models[language]!.split('|');
    // From the end, as franc builds its dictionaries: a trigram listed twice keeps its first rank.
    for (let rank = model.length - 1; rank >= 0; rank--) {
      let row = ranks.get(model[rank]!);
      if (!row) ranks.set(model[rank]!, (row = new Int16Array(languages.length).fill(-1)));
      row[index] = rank;
    }
  });
  scriptModels.set(script, { languages, ranks });
}
const scripts = Object.entries(expressions);

/** franc(value, { only: CANDIDATES, minLength: MIN_CHARS }), ISO 639-3 or 'und'. */
export function guessLanguage(text: string): string {
  if (!text || text.length < MIN_CHARS) return 'und';
  const value = text.slice(0, MAX_LENGTH);
  // The script most of the characters are in (the first one listed wins a tie).
  let topScript = '';
  let topCount = -1;
  for (const [script, expression] of scripts) {
    const count = (value.match(expression)?.length ?? 0) / value.length || 0;
    if (count > topCount) {
      topCount = count;
      topScript = script;
    }
  }
  const models = scriptModels.get(topScript);
  // A script of one language (Thai, Korean, ...) is that language.
  if (!models) return !topScript || topCount === 0 || !candidateSet.has(topScript) ? 'und' : topScript;
  const { languages, ranks } = models;
  if (!languages.length) return 'und';
  const distances = new Array<number>(languages.length).fill(0);
  for (const [trigram, count] of trigramCounts(value)) {
    const row = ranks.get(trigram);
    if (!row) {
      for (let i = 0; i < distances.length; i++) distances[i]! += MAX_DIFFERENCE;
      continue;
    }
    for (let i = 0; i < distances.length; i++) {
      const rank = row[i]!;
      distances[i]! += rank < 0 ? MAX_DIFFERENCE : Math.abs(count - rank - 1);
    }
  }
  let best = 0;
  for (let i = 1; i < distances.length; i++) if (distances[i]! < distances[best]!) best = i;
  return languages[best]!;
}

/** trigram-utils' trigrams of franc's cleaned text, counted. */
function trigramCounts(value: string): Map<string, number> {
  const cleaned = ` ${value.replace(/[\u0021-\u0040]+/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase()} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= cleaned.length; i++) {
    const trigram = cleaned.slice(i, i + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  return counts;
}
