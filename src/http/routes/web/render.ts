// Rendering helpers shared by the editors' pages: every page gets the signed-in editor, the
// session's CSRF token for its forms, and the notice named by `?done=` after a form was sent.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { format } from './format.ts';

/** Notices shown after a successful form (Post/Redirect/Get): fixed texts, never user input. */
export const NOTICES = {
  saved: 'Your changes are saved.',
  nothing_changed: 'Nothing was different from the saved statement, so there was nothing to save.',
  approved: 'The statement is approved. Publish it when it is ready.',
  saved_and_approved: 'Your changes are saved and the statement is approved. Publish it when it is ready.',
  saved_and_published: 'Your changes are saved and the statement is published: it is now on the public pages and in the feeds.',
  rejected: 'The statement is rejected. It will never be shown publicly unless it is reopened.',
  published: 'The statement is published: it is now on the public pages and in the feeds.',
  unpublished: 'The statement is unpublished: the feeds now mark it withdrawn.',
  reopened: 'The statement is back in the drafts.',
  duplicate: 'The statement is marked as a duplicate and rejected.',
  topic_saved: 'The topic is saved.',
  topic_created: 'The topic is created. Add statements to it from their pages or below.',
  order_saved: 'The order of the statements is saved.',
  organisation_saved: 'The organisation is saved.',
  editor_saved: 'The editor is saved.',
  editor_created: 'The editor is created. Give them their address and password.',
  signed_out: 'You are signed out.',
  drafted_from_email: 'A draft is made from the email. Check every field: the rules had set this email aside.',
  sender_note_saved: 'The note for the sender is saved: their status page shows it if the statement is not published.',
  correction_applied: 'The correction is applied: the statement has a new revision.',
  correction_dismissed: 'The correction is dismissed; the statement is unchanged.',
  sender_remembered: 'The registry now knows this sender: the other drafts from it have the organisation, and the next statements from it get it automatically.',
} as const;

export type NoticeKey = keyof typeof NOTICES;

function noticeOf(request: FastifyRequest): string | null {
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' && done in NOTICES ? NOTICES[done as NoticeKey] : null;
}

export interface PageData {
  title: string;
  /** Which item of the main navigation is current. */
  section?: 'queue' | 'topics' | 'organisations' | 'editors' | 'activity' | 'none';
  /** A problem to show at the top of the page (what went wrong and what to do). */
  problem?: string | null;
  [key: string]: unknown;
}

export async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: PageData,
  statusCode = 200,
): Promise<FastifyReply> {
  const csrf = request.auth?.method === 'session' ? request.auth.csrfToken : '';
  const html = await reply.viewAsync(`editor/${template}.eta`, {
    me: request.editor,
    csrf,
    notice: noticeOf(request),
    problem: null,
    section: 'none',
    f: format,
    ...data,
  });
  return reply
    .status(statusCode)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}

/** Post/Redirect/Get: 303 to a page, with a notice to show there. */
export function redirectWithNotice(reply: FastifyReply, path: string, notice?: NoticeKey): FastifyReply {
  const url = notice ? `${path}${path.includes('?') ? '&' : '?'}done=${notice}` : path;
  return reply.redirect(url, 303);
}
