// The statement's history as one timeline, newest first: edits (from its revisions, with what
// changed) and workflow moves (from the audit log, with their reasons). Pure.

/** A long value cut for a list or a change log, with an ellipsis. */
export function shorten(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface TimelineChange {
  field: string;
  from: string;
  to: string;
}

export interface TimelineItem {
  at: Date;
  who: string;
  what: string;
  detail: string | null;
  changes: TimelineChange[];
}

const ACTION_TEXT: Record<string, string> = {
  'statement.approve': 'Approved',
  'statement.publish': 'Published',
  'statement.unpublish': 'Unpublished',
  'statement.reject': 'Rejected',
  'statement.mark_duplicate': 'Marked as duplicate',
  'statement.reopen': 'Reopened',
  'statement.create': 'Created',
  'statement.draft_from_email': 'Made a draft from an email the pipeline had set aside',
};

const FIELD_TEXT: Record<string, string> = {
  title: 'Title',
  organisationName: 'Organisation',
  organisationShort: 'Short name',
  organisationId: 'Organisation (registry)',
  statementDate: 'Date',
  language: 'Language',
  bodyText: 'Text',
  bodyHtml: 'Text (formatted)',
  signatories: 'Signatories',
  topicId: 'Topic',
  topicPosition: 'Position in topic',
};

const MAX_CHANGE_CHARS = 400;

export function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return shorten(value, MAX_CHANGE_CHARS);
  if (Array.isArray(value)) {
    return shorten(
      value.map((v) => (v && typeof v === 'object' && 'name' in v ? [v.name, (v as { role?: unknown }).role].filter(Boolean).join(', ') : String(v))).join('\n'),
      MAX_CHANGE_CHARS,
    ) || '(empty)';
  }
  if (typeof value === 'object') return shorten(JSON.stringify(value), MAX_CHANGE_CHARS);
  return String(value);
}

function changesOf(value: unknown, topicTitles: ReadonlyMap<string, string>): TimelineChange[] {
  if (!value || typeof value !== 'object') return [];
  const entries = Object.entries(value as Record<string, unknown>);
  // The HTML of a body follows its text: show the text change only, unless only the HTML moved.
  const hasText = entries.some(([field]) => field === 'bodyText');
  return entries.filter(([field]) => !(hasText && field === 'bodyHtml')).map(([field, change]) => {
    const c = (change && typeof change === 'object' ? change : {}) as { from?: unknown; to?: unknown };
    const describe = (v: unknown) => (field === 'topicId' && typeof v === 'string' ? (topicTitles.get(v) ?? 'a deleted topic') : describeValue(v));
    return { field: FIELD_TEXT[field] ?? field, from: describe(c.from), to: describe(c.to) };
  });
}

function whoOf(editor: { email: string; name: string | null } | null | undefined, fallback = 'someone'): string {
  return editor ? editor.name || editor.email : fallback;
}

export function buildTimeline(
  revisions: { version: number; changes: unknown; createdAt: Date; editor: { email: string; name: string | null } | null }[],
  auditEntries: { at: Date; actorLabel: string; action: string; details: unknown }[],
  options: { topicTitles?: ReadonlyMap<string, string> } = {},
): TimelineItem[] {
  const topicTitles = options.topicTitles ?? new Map<string, string>();
  const items: TimelineItem[] = revisions.map((r) => ({
    at: r.createdAt,
    // Editors are deactivated, never deleted: a revision without one was made by the service
    // itself (the organisation registry filling in a draft's organisation).
    who: whoOf(r.editor, 'statement-desk, automatically'),
    what: `Edited (version ${r.version})`,
    detail: null,
    changes: changesOf(r.changes, topicTitles),
  }));
  for (const entry of auditEntries) {
    const what = ACTION_TEXT[entry.action];
    if (!what) continue; // edits are listed from their revisions, with the change itself
    const details = (entry.details && typeof entry.details === 'object' ? entry.details : {}) as Record<string, unknown>;
    const reason = typeof details.reason === 'string' ? details.reason : null;
    const duplicate = typeof details.duplicateOfTitle === 'string' ? `Duplicate of “${details.duplicateOfTitle}”` : null;
    items.push({ at: entry.at, who: entry.actorLabel, what, detail: duplicate ?? (reason ? `Reason: ${reason}` : null), changes: [] });
  }
  return items.sort((a, b) => b.at.getTime() - a.at.getTime());
}
