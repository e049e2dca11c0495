// URL slugs for statements and topics: lower-case ASCII words joined by hyphens, accents folded,
// non-Latin titles kept as their Unicode letters (browsers show them; URLs percent-encode them).
const MAX_SLUG_WORDS_CHARS = 60;

export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_SLUG_WORDS_CHARS) return slug;
  const cut = slug.slice(0, MAX_SLUG_WORDS_CHARS);
  return cut.slice(0, cut.lastIndexOf('-') > 20 ? cut.lastIndexOf('-') : MAX_SLUG_WORDS_CHARS);
}

/** A statement's slug: its title plus a short piece of its id, so two equal titles never clash. */
export function statementSlug(title: string, id: string): string {
  const base = slugify(title) || 'statement';
  return `${base}-${id.replace(/-/g, '').slice(0, 8)}`;
}
