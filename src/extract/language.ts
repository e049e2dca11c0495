// The statement's language as an ISO 639-1 code, detected with franc (trigram statistics).
// franc answers in ISO 639-3; the table maps the languages our senders write in. Pure.
import { franc } from 'franc';

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
const CANDIDATES = Object.keys(ISO_639_3_TO_1).filter((code) => code !== 'ceb');
const SAMPLE_CHARS = 1200;
const MIN_CHARS = 40;

export function detectLanguage(text: string): { code: string | null; confidence: number } {
  const sample = text.slice(0, SAMPLE_CHARS);
  if (sample.replace(/\s+/g, '').length < MIN_CHARS) return { code: null, confidence: 0 };
  const code = franc(sample, { only: CANDIDATES, minLength: MIN_CHARS });
  const mapped = ISO_639_3_TO_1[code] ?? null;
  if (!mapped) return { code: null, confidence: 0 };
  // Longer samples make the guess surer; below ~300 characters franc often hesitates.
  return { code: mapped, confidence: sample.length >= 300 ? 0.9 : 0.6 };
}
