// What editors see of the sender's side of a statement: whether and when it was acknowledged (or
// why not), and the note they may leave on the sender's status page.
import type { DbTx } from '../db/client.ts';

export interface AcknowledgementView {
  /** One sentence for the statement page. */
  summary: string;
  state: 'sent' | 'pending' | 'failed' | 'suppressed' | 'none';
  at: Date | null;
  to: string | null;
}

export async function findSenderSide(db: DbTx, statementId: string) {
  const [ack, submission] = await Promise.all([
    db.outboxMail.findFirst({
      where: { statementId, kind: 'acknowledgement' },
      select: { status: true, toAddress: true, sentAt: true, reason: true, lastError: true, attempts: true, createdAt: true },
    }),
    db.submission.findUnique({ where: { statementId }, select: { senderNote: true, noteUpdatedAt: true } }),
  ]);
  return { acknowledgement: describeAcknowledgement(ack), submission };
}

export function describeAcknowledgement(
  ack: { status: string; toAddress: string | null; sentAt: Date | null; reason: string | null; lastError: string | null; attempts: number; createdAt: Date } | null,
): AcknowledgementView {
  if (!ack) return { summary: 'Not acknowledged: outgoing mail was not configured when it arrived (or it was made by hand).', state: 'none', at: null, to: null };
  switch (ack.status) {
    case 'sent':
      return { summary: `Acknowledged to ${ack.toAddress}.`, state: 'sent', at: ack.sentAt, to: ack.toAddress };
    case 'pending':
      return {
        summary: ack.lastError
          ? `Acknowledgement to ${ack.toAddress} waiting to be sent (${ack.attempts} attempt${ack.attempts === 1 ? '' : 's'} so far; last problem: ${ack.lastError}).`
          : `Acknowledgement to ${ack.toAddress} waiting to be sent.`,
        state: 'pending',
        at: ack.createdAt,
        to: ack.toAddress,
      };
    case 'failed':
      return { summary: `The acknowledgement to ${ack.toAddress} could not be sent: ${ack.reason ?? ack.lastError ?? 'unknown error'}.`, state: 'failed', at: null, to: ack.toAddress };
    default:
      return { summary: `Not acknowledged: ${ack.reason ?? 'the loop-safety rules held it back'}.`, state: 'suppressed', at: null, to: ack.toAddress };
  }
}
