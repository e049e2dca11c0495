// Dates in the forms issue 11's wide set showed (places in scripts without capitals, a heading
// date with its year after one without). Wording and places are invented.
import { describe, expect, it } from 'vitest';
import { isDateLine } from '../../src/extract/dates.ts';
import { segmentText } from '../../src/extract/segment.ts';

const REF = new Date('2024-05-10T10:00:00Z');

describe('isDateLine: a place written in a script without capitals before the date', () => {
  it.each<[string, string]>([
    ['وهران، 12 مايو 2024', '2024-05-12'],
    ['طنجة، 2 ماي 2024', '2024-05-02'],
    ['عمّان في 4 أيار 2024', '2024-05-04'],
    ['Lomé, 3 mai 2024', '2024-05-03'],
  ])('%s', (line, iso) => {
    expect(isDateLine(line, REF)?.iso).toBe(iso);
  });

  it('takes no sentence that ends with a date', () => {
    expect(isDateLine('عقد المجلس اجتماعه يوم 12 مايو 2024', REF)).toBeUndefined();
  });
});

describe('segmentText: the heading date', () => {
  it('takes a date with its year over an earlier one without', () => {
    const text = 'Dockers strike to save the night shift\nJoin the rally on\nMay 12.\n\n10 May 2024\n\n' + 'The union calls every member to the rally. '.repeat(20);
    expect(segmentText(text, REF).dateline?.iso).toBe('2024-05-10');
  });
});
