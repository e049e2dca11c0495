// The statement workflow of DESIGN.md. Guarantees: the allowed moves are one pure table
// (STATEMENT_TRANSITIONS); a move happens only through a guarded update that names the states it
// may start from and the version it read (so of two concurrent approvals exactly one wins), in the
// same transaction as its audit entry; an illegal move is a 409 naming the current state, a stale
// expected version a 412, and neither changes anything. Every move bumps the version (the ETag).
//
//   approve        draft            -> approved
//   publish        draft | approved -> published   (from draft: audited as approve + publish)
//                  unpublished      -> published   (republish a withdrawn statement)
//   unpublish      published        -> unpublished (reason required; feeds mark it withdrawn)
//   reject         draft | approved -> rejected    (reason required)
//   mark_duplicate draft | approved -> rejected    (duplicateOfId set; reason "Duplicate of ...")
//   reopen         rejected         -> draft       (clears the rejection and the duplicate link)
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import type { StatementStatus } from './statement-queries.ts';

export const STATEMENT_ACTIONS = ['approve', 'publish', 'unpublish', 'reject', 'mark_duplicate', 'reopen'] as const;
export type StatementAction = (typeof STATEMENT_ACTIONS)[number];

export interface TransitionRule {
  from: readonly StatementStatus[];
  to: StatementStatus;
  needsReason: boolean;
}

export const STATEMENT_TRANSITIONS: Readonly<Record<StatementAction, TransitionRule>> = {
  approve: { from: ['draft'], to: 'approved', needsReason: false },
  publish: { from: ['draft', 'approved', 'unpublished'], to: 'published', needsReason: false },
  unpublish: { from: ['published'], to: 'unpublished', needsReason: true },
  reject: { from: ['draft', 'approved'], to: 'rejected', needsReason: true },
  mark_duplicate: { from: ['draft', 'approved'], to: 'rejected', needsReason: false },
  reopen: { from: ['rejected'], to: 'draft', needsReason: false },
};

/** Words for messages: "mark_duplicate" -> "mark as duplicate", as a person would say it. */
const ACTION_WORDS: Record<StatementAction, string> = {
  approve: 'approve',
  publish: 'publish',
  unpublish: 'unpublish',
  reject: 'reject',
  mark_duplicate: 'mark as duplicate',
  reopen: 'reopen',
};

/** The target state of `action` from `status`, or null when the move is not allowed. */
export function nextStatus(status: StatementStatus, action: StatementAction): StatementStatus | null {
  const rule = STATEMENT_TRANSITIONS[action];
  return rule.from.includes(status) ? rule.to : null;
}

/** The actions allowed from a state (for buttons and for the API's `allowedActions`). */
export function allowedActions(status: StatementStatus): StatementAction[] {
  return STATEMENT_ACTIONS.filter((action) => nextStatus(status, action) !== null);
}

export const MAX_REASON_CHARS = 2000;

export interface TransitionInput {
  id: string;
  action: StatementAction;
  /** The version the editor saw; a different current version is a 412. */
  expectedVersion?: number | undefined;
  actor: AuditActor;
  /** Required for reject and unpublish. */
  reason?: string | undefined;
  /** Required for mark_duplicate: the statement this one repeats. */
  duplicateOfId?: string | undefined;
  now: Date;
}

export interface TransitionResult {
  id: string;
  from: StatementStatus;
  status: StatementStatus;
  version: number;
}

export class IllegalTransitionError extends ConflictError {
  constructor(action: StatementAction, status: StatementStatus) {
    const allowed = allowedActions(status).map((a) => ACTION_WORDS[a]);
    super(
      `This statement is ${status}, so it cannot be ${action === 'mark_duplicate' ? 'marked as duplicate' : `${ACTION_WORDS[action]}${action.endsWith('e') ? 'd' : 'ed'}`} now. Reload it to see its current state; from ${status} you can ${allowed.length ? allowed.join(', ') : 'only edit it'}.`,
      { currentStatus: status, action, allowedActions: allowedActions(status) },
    );
  }
}

export function staleVersionError(what: string, expected: number, current: number): PreconditionFailedError {
  return new PreconditionFailedError(
    `Someone changed this ${what} while you were looking at it (you had version ${expected}, it is now version ${current}). Nothing was changed: reload it, check their change, and try again.`,
    { expectedVersion: expected, currentVersion: current },
  );
}

function cleanReason(reason: string | undefined): string | null {
  const trimmed = reason?.trim() ?? '';
  if (trimmed.length > MAX_REASON_CHARS) throw new ValidationError(`The reason is too long: keep it under ${MAX_REASON_CHARS} characters.`);
  return trimmed || null;
}

function changesFor(action: StatementAction, from: StatementStatus, now: Date, reason: string | null, duplicate: { id: string; title: string } | null): Prisma.StatementUpdateManyMutationInput & { duplicateOfId?: string | null } {
  switch (action) {
    case 'approve':
      return { approvedAt: now };
    case 'publish':
      return { publishedAt: now, unpublishReason: null, unpublishedAt: null, ...(from === 'draft' ? { approvedAt: now } : {}) };
    case 'unpublish':
      return { unpublishedAt: now, unpublishReason: reason };
    case 'reject':
      return { rejectionReason: reason };
    case 'mark_duplicate':
      return { rejectionReason: reason ?? `Duplicate of “${duplicate!.title}”`, duplicateOfId: duplicate!.id };
    case 'reopen':
      return { rejectionReason: null, duplicateOfId: null };
  }
}

export async function transitionStatement(db: Db, input: TransitionInput): Promise<TransitionResult> {
  const rule = STATEMENT_TRANSITIONS[input.action];
  const reason = cleanReason(input.reason);
  if (rule.needsReason && !reason) {
    throw new ValidationError(`Say why: ${ACTION_WORDS[input.action]} needs a reason (pick one from the list or write one).`, { field: 'reason' });
  }
  if (input.action === 'mark_duplicate' && !input.duplicateOfId) {
    throw new ValidationError('Name the statement this one duplicates (duplicateOfId).', { field: 'duplicateOfId' });
  }
  if (input.action === 'mark_duplicate' && input.duplicateOfId === input.id) {
    throw new ValidationError('A statement cannot be a duplicate of itself: pick the other statement.', { field: 'duplicateOfId' });
  }

  return db.$transaction(async (tx) => {
    const current = await tx.statement.findUnique({ where: { id: input.id }, select: { id: true, status: true, version: true, firstPublishedAt: true } });
    if (!current) throw new NotFoundError('statement', input.id);
    if (!rule.from.includes(current.status)) throw new IllegalTransitionError(input.action, current.status);
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
      throw staleVersionError('statement', input.expectedVersion, current.version);
    }
    let duplicate: { id: string; title: string } | null = null;
    if (input.action === 'mark_duplicate') {
      duplicate = await tx.statement.findUnique({ where: { id: input.duplicateOfId! }, select: { id: true, title: true } });
      if (!duplicate) throw new ValidationError(`There is no statement with id ${input.duplicateOfId}: pick the statement this one duplicates from the list.`, { field: 'duplicateOfId' });
    }

    const data = {
      ...changesFor(input.action, current.status, input.now, reason, duplicate),
      ...(rule.to === 'published' && !current.firstPublishedAt ? { firstPublishedAt: input.now } : {}),
      status: rule.to,
      version: { increment: 1 },
    };
    // The guard: the state and version we just read. A concurrent move commits first and this
    // one then matches no row (PostgreSQL re-checks the WHERE after waiting for the row lock).
    const updated = await tx.statement.updateMany({ where: { id: input.id, status: { in: [...rule.from] }, version: current.version }, data });
    if (updated.count !== 1) {
      const latest = await tx.statement.findUnique({ where: { id: input.id }, select: { status: true, version: true } });
      if (!latest) throw new NotFoundError('statement', input.id);
      if (!rule.from.includes(latest.status)) throw new IllegalTransitionError(input.action, latest.status);
      throw staleVersionError('statement', input.expectedVersion ?? current.version, latest.version);
    }

    const version = current.version + 1;
    const base = { actor: input.actor, targetType: 'statement' as const, targetId: input.id, at: input.now };
    if (input.action === 'publish' && current.status === 'draft') {
      // Publishing a draft directly is allowed, and recorded as both steps.
      await recordAudit(tx, { ...base, action: 'statement.approve', details: { from: 'draft', to: 'approved', version, via: 'publish' } });
      await recordAudit(tx, { ...base, action: 'statement.publish', details: { from: 'approved', to: 'published', version } });
    } else {
      await recordAudit(tx, {
        ...base,
        action: `statement.${input.action}`,
        details: {
          from: current.status,
          to: rule.to,
          version,
          ...(reason ? { reason } : {}),
          ...(duplicate ? { duplicateOfId: duplicate.id, duplicateOfTitle: duplicate.title } : {}),
        },
      });
    }
    return { id: input.id, from: current.status, status: rule.to, version };
  });
}
