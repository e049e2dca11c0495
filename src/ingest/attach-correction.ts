// Writes a message that corrects an existing statement as a pending correction on it (the
// message set aside as `ignored` with that reason), not a new draft, and never acknowledged. Runs
// in the pipeline's write transaction (src/ingest/pipeline.ts), guarded like every outcome.
import type pg from 'pg';
import type { DraftFields } from '../extract/types.ts';
import type { ParsedAttachment, ParsedMessageFields } from '../extract/parsed-email.ts';
import { claimMessage, insertAttachments, insertCorrection } from './write-outcome.ts';
import { correctionText } from '../answers/correction-words.ts';
import { findCorrectionTarget, type CorrectionTarget } from '../answers/find-correction.ts';

export interface CorrectionCandidate {
  messageId: string;
  fields: ParsedMessageFields;
  attachments: ParsedAttachment[];
  /** The draft extraction made of it; null for a short reply judged not a statement. */
  draft: DraftFields | null;
}

/** The outcome when the message corrects a statement ('skipped' if another worker took it); null when it corrects none. */
export async function attachCorrection(
  client: pg.ClientBase,
  message: CorrectionCandidate,
  now: Date,
): Promise<{ status: 'ignored'; reason: string } | { status: 'skipped' } | null> {
  const { messageId, fields, draft } = message;
  const target = await findCorrectionTarget(client, { messageId, fields, title: draft?.title ?? null, now });
  if (!target) return null;
  const reason = `a correction of an existing statement, pending on it (${target.matchedBy === 'thread' ? 'a reply to it' : 'same sender and title'})`;
  if (!(await claimMessage(client, { messageId, fields, verdict: { status: 'ignored', reason, notStatement: false }, now }))) return { status: 'skipped' };
  await insertAttachments(client, messageId, message.attachments);
  await insertCorrection(client, {
    statementId: target.statementId,
    messageId,
    matchedBy: target.matchedBy,
    title: draft?.title ?? fields.subject ?? '',
    bodyText: correctionBody(message, target),
    signatories: draft?.signatories ?? [],
    now,
  });
  return { status: 'ignored', reason };
}

/** The corrected text: the extracted body of a draft, or the reply's own text, without copies of the title and signatories. */
function correctionBody(message: CorrectionCandidate, target: CorrectionTarget): string {
  const text = message.draft?.bodyText ?? message.fields.textBody ?? '';
  const titles = [target.title, ...(message.draft ? [message.draft.title] : [])];
  const signatoryNames = [...target.signatoryNames, ...(message.draft?.signatories.map((s) => s.name) ?? [])];
  return correctionText(text, { titles, signatoryNames }) || text.trim();
}
