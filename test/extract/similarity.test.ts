import { describe, expect, it } from 'vitest';
import { compareFingerprints, findLikelyDuplicate, fingerprint, isLikelyDuplicate } from '../../src/extract/similarity.ts';

const A =
  'The Workers Solidarity Network calls on all governments in the region to cut military spending and to fund public health, housing and decent jobs instead. Across our member unions, workers tell the same story: prices of rice, fuel and transport have risen every month.';
const B =
  'The Green Labour Front condemns the eviction of more than two thousand families from the river districts this week. Homes were demolished without notice, without relocation and without compensation, and the city plans a shopping complex.';

describe('similarity', () => {
  it.each([
    ['the same text', A, A, true],
    ['the same text with other line breaks and quotes', A, A.replace(/ /g, '\n').replace(/rice/, '“rice”'), true],
    ['the text inside a cover note and signature', A, `Dear editors, please publish this. ${A} Regards, Maria, Media officer`, true],
    ['two different statements', A, B, false],
    ['a very short text', 'Peace now', 'Peace now', false],
  ])('%s -> %s', (_case, a, b, expected) => {
    expect(isLikelyDuplicate(fingerprint(a), fingerprint(b))).toBe(expected);
  });

  it('measures containment against the smaller text', () => {
    const s = compareFingerprints(fingerprint(A), fingerprint(`${A} ${B}`));
    expect(s.containment).toBe(1);
    expect(s.jaccard).toBeLessThan(0.6);
  });

  it('picks the copy among candidates, and flags a translation by organisation, day and language', () => {
    const statement = { bodyText: A, organisationName: 'WSN', statementDate: '2022-03-03', language: 'en' };
    expect(
      findLikelyDuplicate(statement, [
        { id: 'other', bodyText: B, organisationName: 'GLF', statementDate: '2022-03-03', language: 'en' },
        { id: 'copy', bodyText: A, organisationName: 'WSN', statementDate: '2022-03-03', language: 'en' },
      ]),
    ).toMatchObject({ id: 'copy', reason: 'same-text' });
    expect(
      findLikelyDuplicate(statement, [{ id: 'fr', bodyText: 'Le réseau appelle tous les gouvernements de la région à réduire les dépenses militaires.', organisationName: 'wsn', statementDate: '2022-03-03', language: 'fr' }]),
    ).toMatchObject({ id: 'fr', reason: 'translation' });
    expect(findLikelyDuplicate(statement, [{ id: 'other', bodyText: B, organisationName: 'GLF', statementDate: '2022-03-03', language: 'en' }])).toBeUndefined();
  });
});
