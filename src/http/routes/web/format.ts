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

export const format = { formatDay, formatDateTime, isoDay, formatBytes, shorten, STATUS_LABELS };
