import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, progressPrinter } from '../src/ingest/import-progress.ts';

const progress = { files: 1, messages: 2_500, alreadyStored: 100, drafted: 2_000, ignored: 390, failed: 10, bytesRead: 25 * 1024 ** 2, bytesTotal: 100 * 1024 ** 2, startedAt: 0 };

describe('import progress', () => {
  it('gives count, rate, share of bytes and an ETA from the bytes still to read', () => {
    expect(formatProgress(progress, 10_000)).toBe('2,500 messages, 250/s, 25% of 100 MB, ETA 30s (2,000 drafted, 390 ignored, 10 failed, 100 already stored)');
    expect(formatDuration(3_725_000)).toBe('1h02m');
  });

  it('redraws one line on a terminal, and prints a plain line now and then otherwise', () => {
    const written: string[] = [];
    let now = 20_000;
    const out = (isTTY: boolean) => ({ isTTY, write: (s: string) => void written.push(s) }) as unknown as NodeJS.WriteStream;
    const tty = progressPrinter(out(true), () => now);
    tty.update(progress);
    now += 100;
    tty.update(progress); // too soon: not redrawn
    tty.done();
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\r\x1b\[K2,500 messages/);
    expect(written[1]).toBe('\n');
    written.length = 0;
    const plain = progressPrinter(out(false), () => now);
    plain.update(progress);
    now += 5_000;
    plain.update(progress);
    now += 10_000;
    plain.update(progress);
    plain.done();
    expect(written).toHaveLength(2);
    expect(written.every((line) => /^2,500 messages.*\n$/.test(line))).toBe(true);
  });
});
