// What kind of line a line of text is, where more than one rule asks: a list item, contact
// details, a person's name on a sign-off line. Pure; the patterns are in patterns.ts.
import { CONTACT_LINE, ORGANISATION_WORD, ROLE_WORD } from './patterns.ts';

const BULLET = /^\s*(?:[•·▪◦●‣∙*o–—-]|\d{1,2}[.)]|[a-z][.)]|\(\d{1,2}\)|\([a-z]\))\s+/u;

export function isBulletLine(line: string): boolean {
  return BULLET.test(line);
}

/** Phone, e-mail, web or postal details, alone or several on a line ("a@b.org | https://b.org"). */
export function isContactLine(line: string): boolean {
  const t = line.trim();
  return CONTACT_LINE.test(t) || /^[\w.+-]+@[\w-]+\.[\w.-]+/.test(t) || (/[|·•]/.test(t) && t.split(/\s*[|·•]\s*/).every((part) => !part || CONTACT_LINE.test(part)));
}

/** A person's name as it stands on a sign-off line: two to five capitalised words. */
export function looksLikePersonName(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length < 2 || words.length > 5 || ROLE_WORD.test(text) || ORGANISATION_WORD.test(text)) return false;
  return words.every(
    (w) =>
      /^(?:bin|binti|bte|ibn|abu|de|da|do|dos|das|del|dela|delos|della|des|du|di|van|von|der|den|ter|ten|la|le|al|el|ng|y|e|d[’'])$/i.test(w) ||
      /^[\p{Lu}][\p{L}’'.-]*$/u.test(w),
  );
}
