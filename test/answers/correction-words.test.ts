// What reads as a correction, in the languages our senders write in, and which titles are the
// same statement's.
import { describe, expect, it } from 'vitest';
import { nearIdenticalTitles, readsAsCorrection, withoutQuotedReply } from '../../src/answers/correction-words.ts';

describe('reads as a correction', () => {
  it.each([
    ['en', 'Corrected version: Statement on the strike'],
    ['en', 'Updated statement on the strike'],
    ['en', 'Please add our signature to the joint statement'],
    ['fr', 'Version corrigée du communiqué'],
    ['fr', 'Rectificatif : communiqué du CSO'],
    ['es', 'Versión corregida de la declaración'],
    ['es', 'Fe de erratas: declaración'],
    ['pt', 'Versão corrigida da declaração'],
    ['de', 'Korrigierte Fassung unserer Erklärung'],
    ['id', 'Versi koreksi pernyataan kami'],
    ['ru', 'Исправленная версия заявления'],
    ['zh', '声明（更正）'],
    ['ja', '声明の訂正'],
  ])('%s: %s', (_language, subject) => {
    expect(readsAsCorrection(subject, '')).toBe(true);
  });

  it('an ordinary statement or follow-up does not', () => {
    expect(readsAsCorrection('Statement on the port strike', 'We stand with the dock workers.')).toBe(false);
    expect(readsAsCorrection('Did you receive our statement?', 'We sent it last week.')).toBe(false);
    expect(readsAsCorrection('Déclaration sur la grève', 'Nous soutenons les dockers.')).toBe(false);
  });
});

describe('near-identical titles', () => {
  it('ignores reply prefixes, correction words and punctuation', () => {
    expect(nearIdenticalTitles('RE: Versión corregida - Declaración sobre la huelga portuaria', 'Declaración sobre la huelga portuaria')).toBe(true);
    expect(nearIdenticalTitles('Fwd: Corrected version: No to war!', 'No to war')).toBe(true);
  });
  it('tells apart statements with other words or other numbers', () => {
    expect(nearIdenticalTitles('Statement on the teachers’ strike', 'Statement on the dock workers’ strike in the port')).toBe(false);
    expect(nearIdenticalTitles('Statement 12 of the Union', 'Statement 13 of the Union')).toBe(false);
    expect(nearIdenticalTitles('', 'Anything')).toBe(false);
  });
});

describe('the new text of a reply', () => {
  it('drops the quoted message', () => {
    expect(withoutQuotedReply('Please add: Jane Doe, Union X\n\nOn Mon, 1 Dec 2026, desk wrote:\n> Thank you')).toBe('Please add: Jane Doe, Union X');
    expect(withoutQuotedReply('Merci\n\nLe lun. 1 déc. 2026, desk a écrit :\n> Merci')).toBe('Merci');
  });
});

describe('the text of a correction', () => {
  it('keeps the statement: no cover note, title line or signature block', async () => {
    const { correctionText } = await import('../../src/answers/correction-words.ts');
    const body = 'Here is the corrected version.\n\nStatement of the Harbour Workers\n\nWe stand with the strikers and the dismissed.\n\nMaria Santos, General Secretary';
    expect(correctionText(body, { titles: ['Statement of the Harbour Workers'], signatoryNames: ['Maria Santos'] })).toBe('We stand with the strikers and the dismissed.');
  });
});
