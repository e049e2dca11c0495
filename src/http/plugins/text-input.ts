// Text no field here may hold is refused at the door, for every route (API, public pages,
// editors' forms): a NUL character (PostgreSQL text cannot store U+0000, so it used to surface as
// a 500 from the database) and a lone UTF-16 surrogate (not a character: UTF-8 cannot encode it,
// and it would be stored silently changed). Checked once here, after the route's own validation
// and authentication, rather than in each of the schemas spread over src/moderation, so a new
// route or field cannot forget it; the route's own error handler answers (problem+json for the
// API, an HTML page that keeps what was typed for the editors' forms).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ValidationError } from '../../errors.ts';

const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Deeper than any body we accept; a deeper one is refused rather than walked. */
const MAX_DEPTH = 32;

/** Whether a string holds a NUL character or a lone surrogate. */
export function isUnstorableText(value: string): boolean {
  return NOT_TEXT.test(value);
}

/** The path of the first string (or object key) in `value` that is not storable text, or null. */
export function findUnstorableText(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return isUnstorableText(value) ? path : null;
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  if (depth > MAX_DEPTH) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (isUnstorableText(key)) return `${path}.(a field name)`;
    const found = findUnstorableText(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

async function textInputPlugin(app: FastifyInstance) {
  app.addHook('preHandler', async (request) => {
    const parts = [['params', request.params], ['querystring', request.query], ['body', request.body]] as const;
    for (const [where, value] of parts) {
      const field = findUnstorableText(value, where);
      if (field) {
        const message = 'contains a NUL character or a broken character (a lone UTF-16 surrogate), which no text here may hold';
        throw new ValidationError(`${field} ${message}. Remove it (copying the text from another program can bring it in) and send it again.`, {
          errors: [{ field, message }],
        });
      }
    }
  });
}

export default fp(textInputPlugin, { name: 'text-input' });
