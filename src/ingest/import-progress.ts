// What `statement-desk import` shows while it works: one line, redrawn in place on a terminal,
// or a plain line every PLAIN_PROGRESS_EVERY_MS otherwise (a log file, CI). Pure formatting.
import type { ImportProgress } from './import-files.ts';

export const PLAIN_PROGRESS_EVERY_MS = 10_000;
export const TTY_PROGRESS_EVERY_MS = 250;

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** "12,345 messages, 812/s, 37% of 714 MB, ETA 1m52s (11,020 drafted, 1,200 ignored, 3 failed, 122 already stored)" */
export function formatProgress(p: ImportProgress, now: number): string {
  const elapsedMs = Math.max(1, now - p.startedAt);
  const rate = (p.messages * 1000) / elapsedMs;
  const share = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 1;
  const etaMs = share > 0 && share < 1 ? (elapsedMs * (1 - share)) / share : 0;
  const n = (x: number) => x.toLocaleString('en');
  return (
    `${n(p.messages)} messages, ${n(Math.round(rate))}/s, ${Math.floor(share * 100)}% of ${formatBytes(p.bytesTotal)}` +
    `${etaMs ? `, ETA ${formatDuration(etaMs)}` : ''} ` +
    `(${n(p.drafted)} drafted, ${n(p.ignored)} ignored, ${n(p.failed)} failed, ${n(p.alreadyStored)} already stored)`
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.ceil(bytes / 1024)} kB`;
}

/** Prints progress to `out`: redrawn in place on a terminal, else a line now and then. */
export function progressPrinter(out: NodeJS.WriteStream, now: () => number = Date.now) {
  const tty = Boolean(out.isTTY);
  let last = 0;
  let drawn = false;
  return {
    update(p: ImportProgress) {
      const t = now();
      if (t - last < (tty ? TTY_PROGRESS_EVERY_MS : PLAIN_PROGRESS_EVERY_MS)) return;
      last = t;
      if (tty) {
        out.write(`\r\x1b[K${formatProgress(p, t)}`);
        drawn = true;
      } else out.write(`${formatProgress(p, t)}\n`);
    },
    /** Ends the redrawn line, so what follows starts on its own. */
    done() {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
