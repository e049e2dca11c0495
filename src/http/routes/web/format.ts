// Formatting for the editors' pages: dates in UTC, written out so nobody misreads 03/04.
import { shorten } from '../../../moderation/statement-history.ts';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatDay(date: Date | null | undefined): string {
  if (!date) return '';
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

export function formatDateTime(date: Date | null | undefined): string {
  if (!date) return '';
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${formatDay(date)}, ${hh}:${mm} UTC`;
}

/** YYYY-MM-DD for <input type="date">. */
export function isoDay(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 10) : '';
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} bytes`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(0)} kB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

export const STATUS_LABELS: Record<string, string> = {
  draft: 'Drafts',
  approved: 'Approved',
  published: 'Published',
  unpublished: 'Unpublished',
  rejected: 'Rejected',
};

/** One statement's status, as the editors' pages name it (the tabs use the plurals above). */
export const STATUS_NAMES: Record<string, string> = {
  draft: 'Draft',
  approved: 'Approved',
  published: 'Published',
  unpublished: 'Unpublished',
  rejected: 'Rejected',
};

/** An email's status, in the words an editor would use rather than the pipeline's state names. */
export const MESSAGE_STATUS_NAMES: Record<string, string> = {
  received: 'Stored, not read yet',
  drafted: 'Made into a draft',
  ignored: 'Set aside',
  failed: 'Could not be read',
};

export const format = { formatDay, formatDateTime, isoDay, formatBytes, shorten, STATUS_LABELS, STATUS_NAMES, MESSAGE_STATUS_NAMES };
