// Every bad input is a 4xx, never a 500: walks every route of /docs/json with hostile values
// (NUL, lone surrogates, huge numbers, extreme dates, backslashes, CRLF, very long strings) in
// its path parameters, query and body, as an administrator and without credentials. The
// editors' form pages are not in /docs/json; a smaller table covers them.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestEditor, type TestEditor } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createTestStatement } from '../moderation/fixtures.ts';
import { ingest, startAnsweringLongAgo, statementMail } from '../answers/support.ts';

const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
const UUID = '00000000-0000-4000-8000-000000000000';

/** Strings no part of the service may answer with a 500. */
const HOSTILE_STRINGS = [
  'a\u0000b',
  '\u0000',
  'x\ud800y',
  '\udfff',
  '\\',
  'abc\\',
  '%_\\%',
  'line\r\nSet-Cookie: injected=1',
  '0000-01-01',
  '-000001-01-01',
  '10000-01-01',
  '+275760-09-13',
  '9999-12-31',
  '99999999999999999999999',
  '-1',
  '1e308',
  'NaN',
  'x'.repeat(70_000),
  cursorOf(`-000001-01-01T00:00:00.000Z|${UUID}`),
  cursorOf(`+010000-01-01T00:00:00.000Z|${UUID}`),
  cursorOf(`0000-06-01T00:00:00.000Z|${UUID}`),
  cursorOf(`2024-01-01T00:00:00.000Z|${UUID}\u0000`),
];

/** For body fields: the strings that reach a handler's code, and other JSON types. */
const HOSTILE_JSON: unknown[] = [
  'a\u0000b', 'x\ud800y', 'abc\\', 'line\r\nSet-Cookie: injected=1', '0000-01-01', '10000-01-01', 'x'.repeat(70_000),
  1e308, -1, 2 ** 64, null, {}, [],
];

/**
 * Percent-encodes like encodeURIComponent, but a lone surrogate goes out as the three bytes a
 * careless client would send (%ED%A0%80), where encodeURIComponent throws.
 */
function encodeHostile(value: string): string {
  return value.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]|[^]/g, (ch) => {
    if (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff') {
      const c = ch.charCodeAt(0);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(ch);
  });
}

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  headers: string[];
  /** Needs credentials (an anonymous request stops at 401, so a few suffice). */
  secured: boolean;
  /** A public HTML page. */
  html: boolean;
  body?: { properties: Record<string, JsonSchema>; required: string[] };
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

function operationsOf(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = (op.parameters ?? []) as { in: string; name: string }[];
      const bodySchema = op.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
      const objectSchema = bodySchema?.properties ? bodySchema : bodySchema?.anyOf?.find((s) => s.properties);
      operations.push({
        method: method.toUpperCase(),
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        headers: parameters.filter((p) => p.in === 'header').map((p) => p.name),
        secured: Array.isArray(op.security) && op.security.length > 0,
        html: !path.startsWith('/api/') && !/feed\.|attachments/.test(path),
        body: objectSchema?.properties ? { properties: objectSchema.properties, required: objectSchema.required ?? [] } : undefined,
      });
    }
  }
  return operations;
}

/** The same hostile value everywhere inside a field of this shape (array items, object fields). */
function fill(schema: JsonSchema | undefined, value: unknown): unknown {
  if (!schema) return value;
  const types = [schema.type ?? []].flat();
  if (types.includes('array') && schema.items) return [fill(schema.items, value)];
  if (types.includes('object') && schema.properties) {
    return Object.fromEntries(Object.keys(schema.properties).map((k) => [k, fill(schema.properties![k], value)]));
  }
  return value;
}

describe('hostile input never gets a 500', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let admin: TestEditor;
  let ids: Record<string, string>;
  /** A request that is valid apart from the field under test, so it reaches the handler. */
  let validBodies: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await buildTestApp(t.db);
    admin = await createTestEditor(t.db, 'admin');
    const other = await createTestEditor(t.db, 'editor');
    const statement = await createTestStatement(t.db, { status: 'published', firstPublishedAt: new Date('2024-05-01T00:00:00Z'), publishedAt: new Date('2024-05-01T00:00:00Z') });
    const topic = await app.inject({ method: 'POST', url: '/api/topics', headers: admin.headers, payload: { title: 'Fuzz topic' } });
    const organisation = await app.inject({ method: 'POST', url: '/api/organisations', headers: admin.headers, payload: { name: 'Fuzz union' } });
    const reason = await app.inject({ method: 'POST', url: '/api/rejection-reasons', headers: admin.headers, payload: { text: 'Off topic' } });
    // A statement with a status page (acknowledged) and a pending correction, for the sender routes.
    await startAnsweringLongAgo(t.db);
    const body = (extra: string) => `Statement of the Fuzz Union\n\nThe Fuzz Union stands with the striking dock workers and calls on the port authority to negotiate${extra}.\n\nAlex Fuzz, Secretary\n`;
    const senderSide = (await ingest(t.db, statementMail({ from: 'press@fuzz.example.org', subject: 'Statement on the fuzz strike', body: body('') })))!;
    await ingest(t.db, statementMail({ from: 'press@fuzz.example.org', subject: 'Corrected version: Statement on the fuzz strike', body: body(' in good faith') }));
    const correction = await t.db.statementCorrection.findFirstOrThrow({ where: { statementId: senderSide } });
    ids = { statement: statement.id, topic: topic.json().id, organisation: organisation.json().id, editor: other.id, reason: reason.json().id, slug: topic.json().slug, senderSide, correction: correction.id };
    validBodies = {
      'POST /api/session': { email: admin.email, password: 'wrong password' },
      'PUT /api/session/password': { currentPassword: 'wrong password', newPassword: 'a-new-password-1' },
      'POST /api/topics': { title: 'Another topic' },
      'POST /api/organisations': { name: 'Another union' },
      'POST /api/rejection-reasons': { text: 'Spam' },
      'POST /api/editors': { email: 'new-editor@example.org', password: 'a-long-password-1' },
      'PUT /api/editors/{id}/password': { password: 'a-long-password-1' },
      'PUT /api/topics/{id}/order': { statementIds: [] },
      'POST /api/statements/{id}/unpublish': { reason: 'withdrawn' },
      'POST /api/statements/{id}/mark-duplicate': { duplicateOfId: statement.id },
      'PUT /api/statements/{id}/sender-note': { note: 'Thank you for sending it.' },
      'POST /api/statements/{id}/sender-organisation': { remember: 'address' },
      'PUT /api/mail-templates/{kind}/{language}': { bodyText: 'Thank you. Where it stands: {statusUrl}' },
      // A sender no statement of this test came from: the erasure runs and erases nothing.
      'POST /api/erasures': { sender: 'nobody-here@fuzz.example.net' },
    };
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  function idFor(path: string, name?: string): string {
    if (name === 'correctionId') return ids.correction!;
    if (/\/(corrections|sender-note|acknowledgement|sender-organisation)/.test(path)) return ids.senderSide!;
    if (path.includes('/topics/{slug}')) return ids.slug!;
    if (path.includes('/topics')) return ids.topic!;
    if (path.includes('/organisations')) return ids.organisation!;
    if (path.includes('/editors')) return ids.editor!;
    if (path.includes('/rejection-reasons')) return ids.reason!;
    return ids.statement!;
  }

  function requestsFor(op: Operation): { url: string; payload?: unknown; headers: Record<string, string>; what: string }[] {
    const key = `${op.method} ${op.path}`;
    const urlWith = (params: Record<string, string>, query: Record<string, string> = {}) => {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeHostile(params[name] ?? idFor(op.path, name)));
      const qs = Object.entries(query).map(([k, v]) => `${k}=${encodeHostile(v)}`).join('&');
      return qs ? `${path}?${qs}` : path;
    };
    const baseBody = op.body ? validBodies[key] ?? {} : undefined;
    const headers: Record<string, string> = op.headers.includes('if-match') ? { 'if-match': '*' } : {};
    const requests: { url: string; payload?: unknown; headers: Record<string, string>; what: string }[] = [];
    for (const value of HOSTILE_STRINGS) {
      for (const name of op.params) requests.push({ url: urlWith({ [name]: value }), payload: baseBody, headers, what: `param ${name}` });
      for (const name of op.query) requests.push({ url: urlWith({}, { [name]: value }), payload: baseBody, headers, what: `query ${name}` });
      if (op.headers.includes('if-match') && !/[\u0000\r\n\ud800-\udfff]/.test(value)) {
        requests.push({ url: urlWith({}), payload: baseBody, headers: { 'if-match': value }, what: 'header if-match' });
      }
    }
    if (op.body) {
      for (const [name, schema] of Object.entries(op.body.properties)) {
        for (const value of HOSTILE_JSON) requests.push({ url: urlWith({}), payload: { ...baseBody, [name]: fill(schema, value) }, headers, what: `body ${name}` });
      }
    }
    return requests;
  }

  it('answers every route of /docs/json with hostile values in params, query and body without a 5xx', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(30);
    // A route with required body fields needs a valid example here, or its handler is never reached.
    const missing = operations.filter((op) => op.body?.required.length && !validBodies[`${op.method} ${op.path}`]).map((op) => `${op.method} ${op.path}`);
    expect(missing).toEqual([]);

    const failures: string[] = [];
    for (const op of operations) {
      for (const [index, request] of requestsFor(op).entries()) {
        for (const as of ['admin', 'anonymous'] as const) {
          if (as === 'anonymous' && op.secured && index % 20 !== 0) continue;
          const headers = { ...request.headers, ...(as === 'admin' ? admin.headers : {}) };
          const res = await app.inject({ method: op.method as 'GET', url: request.url, headers, ...(request.payload !== undefined ? { payload: request.payload as object } : {}) });
          if (res.statusCode >= 500) failures.push(`${op.method} ${op.path} ${request.what} (${as}): ${res.statusCode} ${res.body.slice(0, 200)} for ${JSON.stringify(request.payload ?? request.url).slice(0, 120)}`);
          // Public HTML pages answer a missing page with an HTML 404; everything else with a problem.
          else if (res.statusCode >= 400 && !/problem\+json/.test(String(res.headers['content-type'])) && !(op.html && res.statusCode === 404)) {
            failures.push(`${op.method} ${op.path} ${request.what} (${as}): ${res.statusCode} as ${res.headers['content-type']}, not problem+json`);
          }
        }
      }
    }
    const distinct = [...new Set(failures)];
    if (distinct.length) console.error(distinct.join('\n'));
    expect(distinct).toEqual([]);
  }, 600_000);

  // The editors' pages are HTML forms, not in /docs/json: each form's fields, and the pages'
  // query parameters, with the hostile strings; any 4xx (an HTML page) is fine, a 5xx is not.
  it('answers the editors\' form posts and page queries with hostile values without a 5xx', async () => {
    const signIn = await app.inject({ method: 'POST', url: '/api/session', remoteAddress: '198.51.100.200', payload: { email: admin.email, password: admin.password } });
    expect(signIn.statusCode).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const csrf = signIn.json().csrfToken as string;
    const statementFields = ['version', 'title', 'organisationName', 'organisationShort', 'statementDate', 'language', 'bodyText', 'signatories', 'topicId'];
    const forms: { url: string; fields: string[]; base?: Record<string, string> }[] = [
      { url: `/editor/statements/${ids.statement}`, fields: statementFields, base: { version: '1' } },
      { url: `/editor/statements/${ids.statement}/preview`, fields: statementFields, base: { version: '1' } },
      { url: `/editor/statements/${ids.statement}/transition`, fields: ['action', 'version', 'reasonChoice', 'reasonText', 'duplicateOfId'], base: { action: 'reject', version: '1' } },
      { url: '/editor/topics', fields: ['title', 'slug', 'introduction', 'open'], base: { title: 'Form topic' } },
      { url: `/editor/topics/${ids.topic}`, fields: ['title', 'slug', 'introduction', 'open', 'version'] },
      { url: `/editor/topics/${ids.topic}/move`, fields: ['statementId', 'direction', 'version'] },
      { url: `/editor/topics/${ids.topic}/add`, fields: ['statementId'] },
      { url: `/editor/topics/${ids.topic}/remove`, fields: ['statementId'] },
      { url: '/editor/organisations', fields: ['name', 'shortName', 'country', 'website', 'senderAddresses', 'senderDomains'], base: { name: 'Form union' } },
      { url: `/editor/organisations/${ids.organisation}`, fields: ['name', 'shortName', 'country', 'website', 'senderAddresses', 'senderDomains', 'version'] },
      { url: '/editor/editors', fields: ['email', 'name', 'password', 'role'], base: { email: 'form-editor@example.org', password: 'a-long-password-2' } },
      { url: `/editor/editors/${ids.editor}`, fields: ['role', 'active'] },
      { url: '/editor/rejection-reasons', fields: ['text'] },
      { url: `/editor/messages/${UUID}/draft`, fields: ['version'] },
      { url: `/editor/statements/${ids.senderSide}/sender-note`, fields: ['note'] },
      { url: `/editor/statements/${ids.senderSide}/sender-organisation`, fields: ['version', 'remember'], base: { version: '1', remember: 'address' } },
      { url: `/editor/statements/${ids.senderSide}/corrections/${ids.correction}/apply`, fields: ['version'] },
    ];
    const pages: { url: string; params: string[] }[] = [
      { url: '/editor', params: ['status', 'q', 'topic', 'language', 'cursor', 'setAside', 'done'] },
      { url: '/editor/activity', params: ['actor', 'action', 'target', 'before'] },
      { url: `/editor/statements/${ids.statement}`, params: ['done'] },
      { url: '/editor/sign-in', params: ['next'] },
    ];
    const values = ['a\u0000b', 'x\ud800y', 'abc\\', 'line\r\nSet-Cookie: injected=1', '0000-01-01', '10000-01-01', '99999999999999999999999', HOSTILE_STRINGS[18]!, 'x'.repeat(20_000)];
    const failures: string[] = [];
    const check = (what: string, res: { statusCode: number; body: string }) => {
      if (res.statusCode >= 500) failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    };
    for (const form of forms) {
      for (const field of form.fields) {
        for (const value of values) {
          const payload = new URLSearchParams({ ...form.base, _csrf: csrf, [field]: value }).toString();
          check(`POST ${form.url} ${field}`, await app.inject({ method: 'POST', url: form.url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload }));
        }
      }
    }
    for (const page of pages) {
      for (const param of page.params) {
        for (const value of values) check(`GET ${page.url} ?${param}`, await app.inject({ url: `${page.url}?${param}=${encodeHostile(value)}`, headers: { cookie } }));
      }
    }
    // Sign-in form (no session), with the next address it sends the browser back to.
    for (const field of ['email', 'password', 'next']) {
      for (const value of values) {
        const form = await app.inject({ url: '/editor/sign-in' });
        const token = /name="_signin" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
        const signinCookie = String(form.headers['set-cookie']).split(';')[0]!;
        const base = { email: admin.email, password: admin.password, next: '/editor', _signin: token };
        const payload = new URLSearchParams({ ...base, [field]: value }).toString();
        check(`POST /editor/sign-in ${field}`, await app.inject({ method: 'POST', url: '/editor/sign-in', remoteAddress: `198.51.100.${values.indexOf(value)}`, headers: { cookie: signinCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload }));
      }
    }
    const distinct = [...new Set(failures)];
    if (distinct.length) console.error(distinct.join('\n'));
    expect(distinct).toEqual([]);
  }, 600_000);
});
