// Signs in through the editors' sign-in form with app.inject, and sends forms as a browser would
// (urlencoded, with the session cookie and the CSRF token read from the page).
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../../src/editors/sessions.ts';

export interface WebSession {
  cookie: string;
  csrf: string;
  get(url: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }>;
  post(url: string, fields: Record<string, string>, options?: { withCsrf?: boolean }): Promise<{ status: number; body: string; location: string | undefined }>;
}

export function csrfFromPage(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1]!;
}

/** Opens the sign-in form (which sets its anti-forgery cookie) and sends it as a browser would. */
export async function postSignInForm(app: FastifyInstance, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const form = await app.inject({ method: 'GET', url: '/editor/sign-in' });
  const token = /name="_signin" value="([^"]+)"/.exec(form.body)?.[1];
  const cookie = form.cookies.find((c) => c.name === 'sd_signin');
  if (!token || !cookie) throw new Error('the sign-in form has no anti-forgery token');
  return app.inject({
    method: 'POST',
    url: '/editor/sign-in',
    payload: new URLSearchParams({ _signin: token, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sd_signin=${cookie.value}`, ...headers },
  });
}

export async function signInWeb(app: FastifyInstance, email: string, password: string): Promise<WebSession> {
  const res = await postSignInForm(app, { email, password, next: '/editor' });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const session = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!session) throw new Error('no session cookie');
  const cookie = `${SESSION_COOKIE}=${session.value}`;
  const queue = await app.inject({ method: 'GET', url: '/editor', headers: { cookie } });
  const csrf = csrfFromPage(queue.body);
  return {
    cookie,
    csrf,
    async get(url) {
      const r = await app.inject({ method: 'GET', url, headers: { cookie } });
      return { status: r.statusCode, body: r.body, headers: r.headers };
    },
    async post(url, fields, options = {}) {
      const payload = new URLSearchParams(options.withCsrf === false ? fields : { _csrf: csrf, ...fields }).toString();
      const r = await app.inject({ method: 'POST', url, payload, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
      return { status: r.statusCode, body: r.body, location: r.headers.location as string | undefined };
    },
  };
}
