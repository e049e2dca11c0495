// Reads our own source for the tests that keep rules about it (test/sql-columns.test.ts,
// test/data-access.test.ts): the files of src/ and a scanner that tells code from strings.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** The TypeScript files under `dir`, the generated Prisma client left out. */
export async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !file.includes(`${path.sep}generated${path.sep}`))
    .sort();
}

/**
 * Splits a TypeScript source into its code (strings, comments and regular expressions blanked
 * out) and its string and template literals. `$0` stands where each ${...} of a template was
 * (that code goes to `code`). A small scanner: TypeScript 7 has no JavaScript API to parse with.
 */
export function scanSource(source: string): { code: string; literals: string[] } {
  const literals: string[] = [];
  let code = '';
  let i = 0;
  let last = '';
  const readQuoted = (quote: string): string => {
    let text = '';
    for (i++; i < source.length && source[i] !== quote; i++) text += source[i] === '\\' ? source[++i] : source[i];
    i++;
    return text;
  };
  const readTemplate = (): string => {
    let text = '';
    for (i++; i < source.length && source[i] !== '`'; i++) {
      if (source[i] === '\\') text += source[++i];
      else if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        scan('}');
        text += '$0';
      } else text += source[i];
    }
    i++;
    return text;
  };
  /** Scans code until `until` at depth 0 (i is left on it). */
  const scan = (until?: string): void => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i]!;
      if (c === until && depth === 0) return;
      if (c === '/' && source[i + 1] === '/') {
        const end = source.indexOf('\n', i);
        i = end < 0 ? source.length : end;
      } else if (c === '/' && source[i + 1] === '*') {
        i = source.indexOf('*/', i + 2) + 2;
        code += ' ';
      } else if (c === '/' && /^$|[(,=:[!&|?{};+\-*%<>~^]$|\breturn$/.test(last)) {
        // A regular expression literal: up to the closing slash outside a character class.
        let inClass = false;
        for (i++; i < source.length && (inClass || source[i] !== '/'); i++) {
          if (source[i] === '\\') i++;
          else if (source[i] === '[') inClass = true;
          else if (source[i] === ']') inClass = false;
        }
        i++;
        code += '/regex/';
        last = 'regex';
        continue;
      } else if (c === "'" || c === '"') {
        literals.push(readQuoted(c));
        code += "''";
        last = 'string';
        continue;
      } else if (c === '`') {
        code += '`';
        literals.push(readTemplate());
        code += '`';
        last = 'string';
        continue;
      } else {
        if (c === '{' || c === '(' || c === '[') depth++;
        else if (c === '}' || c === ')' || c === ']') depth--;
        code += c;
        if (!/\s/.test(c)) last = /[\w$]/.test(c) ? (/[\w$]/.test(last.slice(-1)) ? last + c : c) : c;
        i++;
        continue;
      }
    }
  };
  scan();
  return { code, literals };
}

