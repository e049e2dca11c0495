// What the admin API says about the sender's side of a statement: its acknowledgement, the note
// on the sender's status page, and the corrections the sender sent. Only fields named here leave
// the server (never the status-page token, which exists only in the mail we sent).
import { z } from 'zod';
import type { findCorrections } from '../../moderation/corrections.ts';
import { CORRECTION_STATUSES } from '../../moderation/corrections.ts';
import type { findSenderSide } from '../../answers/editor-view.ts';
import { isoDateTimeNullable, toIso } from './common.ts';
import { signatorySchema } from './statement.ts';

export const correctionStatusSchema = z.enum(CORRECTION_STATUSES);

export const correctionSchema = z.object({
  id: z.uuid(),
  status: correctionStatusSchema,
  matchedBy: z.enum(['thread', 'same_sender']).describe('thread: it replies to the statement or to our acknowledgement; same_sender: same sender within 14 days, near-identical title, correction words.'),
  matched: z.string().describe('Why it was attached to this statement, in words.'),
  title: z.string().describe('The title the correction came with.'),
  bodyText: z.string().describe('The corrected text, without the cover note, quoted message, title line and signature block; applying replaces the statement\'s text with it.'),
  signatories: z.array(signatorySchema).describe('Signatories it names; applying replaces the statement\'s when there are some.'),
  diff: z
    .array(z.object({ text: z.string(), change: z.enum(['same', 'added', 'removed']) }))
    .nullable()
    .describe("Word-level diff from the statement's current text to bodyText; null when they are too far apart to compare word by word."),
  message: z.object({ id: z.uuid(), from: z.string().nullable(), subject: z.string().nullable() }).describe('The email it came in; GET /api/messages/:id for more.'),
  createdAt: z.string(),
  decidedAt: isoDateTimeNullable,
  decidedBy: z.string().nullable().describe('The editor (email) or "cli" who applied or dismissed it.'),
});

export const correctionListSchema = z.object({
  items: z.array(correctionSchema),
  statementVersion: z.number().int().describe('The statement version the diffs are against; send it as If-Match to apply (also the ETag).'),
});

export const acknowledgementSchema = z.object({
  state: z.enum(['sent', 'pending', 'failed', 'suppressed', 'none']).describe(
    'sent; pending (queued, or retrying after a problem); failed (the SMTP server refused it); suppressed (a loop-safety rule held it back); none (outgoing mail was off when it arrived, or the statement was made by hand).',
  ),
  summary: z.string().describe('One sentence, as the statement page shows it.'),
  acknowledgedAt: isoDateTimeNullable.describe('When it was sent (state sent).'),
  queuedAt: isoDateTimeNullable.describe('When it was queued (state pending).'),
  to: z.string().nullable().describe("The sender's address it went (or would have gone) to."),
  reason: z.string().nullable().describe('Why not (yet) sent: the loop-safety rule, the SMTP answer, or the last problem.'),
  statusPage: z.object({
    exists: z.boolean().describe('The sender was given a status page (only with an acknowledgement).'),
    note: z.string().nullable().describe('The note for the sender, shown on the status page when the statement is not published.'),
    noteUpdatedAt: isoDateTimeNullable,
  }),
});

export const senderNoteSchema = z.object({
  note: z.string().nullable().describe('The note as saved (trimmed); null when cleared.'),
  updatedAt: z.string(),
});

export function toCorrection(c: Awaited<ReturnType<typeof findCorrections>>[number]): z.infer<typeof correctionSchema> {
  return {
    id: c.id,
    status: c.status,
    matchedBy: c.matchedBy === 'thread' ? 'thread' : 'same_sender',
    matched: c.matched,
    title: c.title,
    bodyText: c.bodyText,
    signatories: c.signatories,
    diff: c.diff,
    message: { id: c.messageId, from: c.message.fromAddress, subject: c.message.subject },
    createdAt: c.createdAt.toISOString(),
    decidedAt: toIso(c.decidedAt),
    decidedBy: c.decidedBy,
  };
}

export function toAcknowledgement(side: Awaited<ReturnType<typeof findSenderSide>>): z.infer<typeof acknowledgementSchema> {
  const a = side.acknowledgement;
  return {
    state: a.state,
    summary: a.summary,
    acknowledgedAt: a.state === 'sent' ? toIso(a.at) : null,
    queuedAt: a.state === 'pending' ? toIso(a.at) : null,
    to: a.to,
    reason: a.reason,
    statusPage: { exists: Boolean(side.submission), note: side.submission?.senderNote ?? null, noteUpdatedAt: toIso(side.submission?.noteUpdatedAt) },
  };
}
