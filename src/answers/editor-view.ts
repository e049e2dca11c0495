// What editors see of the sender's side of a statement: whether and when it was acknowledged (or
// why not), and the note they may leave on the sender's status page.
import type { DbTx } from '../db/client.ts';

export interface AcknowledgementView {
  /** One sentence for the statement page. */
  summary: string;
  state: 'sent' | 'pending' | 'failed' | 'suppressed' | 'none';
  /** sent: when it was sent; pending: when it was queued; otherwise null. */
  at: Date | null;
  to: string | null;
  /** Why it was not (yet) sent: the loop-safety rule, the SMTP server's answer, or the last problem. */
  reason: string | null;
}

const NO_ACKNOWLEDGEMENT = 'outgoing mail was not configured when it arrived (or it was made by hand)';

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
  if (!ack) return { summary: `Not acknowledged: ${NO_ACKNOWLEDGEMENT}.`, state: 'none', at: null, to: null, reason: NO_ACKNOWLEDGEMENT };
  switch (ack.status) {
    case 'sent':
      return { summary: `Acknowledged to ${ack.toAddress}.`, state: 'sent', at: ack.sentAt, to: ack.toAddress, reason: null };
    case 'pending':
      return {
        summary: ack.lastError
          ? `Acknowledgement to ${ack.toAddress} waiting to be sent (${ack.attempts} attempt${ack.attempts === 1 ? '' : 's'} so far; last problem: ${ack.lastError}).`
          : `Acknowledgement to ${ack.toAddress} waiting to be sent.`,
        state: 'pending',
        at: ack.createdAt,
        to: ack.toAddress,
        reason: ack.lastError,
      };
    case 'failed': {
      const reason = ack.reason ?? ack.lastError ?? 'unknown error';
      return { summary: `The acknowledgement to ${ack.toAddress} could not be sent: ${reason}.`, state: 'failed', at: null, to: ack.toAddress, reason };
    }
    default: {
      const reason = ack.reason ?? 'the loop-safety rules held it back';
      return { summary: `Not acknowledged: ${reason}.`, state: 'suppressed', at: null, to: ack.toAddress, reason };
    }
  }
}
