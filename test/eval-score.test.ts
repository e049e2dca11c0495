import { describe, expect, it } from 'vitest';
import { norm, scoreOutcome, type StoredOutcome, type TruthLine } from '../scripts/eval-score.ts';

describe('norm (the fixtures’ normalisation)', () => {
  it.each([
    ['  Russia’s  war — on\nUkraine! ', 'russias war on ukraine'],
    ['• first · second - third 1. fourth 2) fifth', 'first second third fourth fifth'],
    ['“Rules-based” order', 'rules based order'],
    ['ＦＵＬＬ width', 'full width'],
  ])('%j -> %j', (text, expected) => {
    expect(norm(text)).toBe(expected);
  });
});

const TRUTH: TruthLine = {
  file: 'emails/x.eml',
  expect: 'statement',
  organisation: 'Socialist Party of Malaysia (PSM)',
  organisation_short: 'PSM',
  organisation_alternatives: ['Parti Sosialis Malaysia (PSM)'],
  title: 'No to war in Ukraine!',
  title_alternatives: ['PSM: No to war in Ukraine!'],
  date: '2022-02-27',
  language: 'en',
  signatories: [{ name: 'Choo Chon Kai', role: 'Central Committee Member' }],
  body_first_words: 'The Socialist Party',
  body_last_words: 'imperialist war.',
};

function outcome(draft: Partial<StoredOutcome['drafts'][number]>): StoredOutcome {
  return {
    messageStatus: 'drafted',
    notStatement: false,
    drafts: [{ title: 'No to war in Ukraine', organisationName: 'PSM', organisationShort: null, statementDate: '2022-02-27', language: 'en', bodyText: 'The Socialist Party ... another imperialist war', signatories: [{ name: 'Choo Chon Kai', role: 'Central Committee Member' }], ...draft }],
  };
}

describe('scoreOutcome', () => {
  it('passes every field of a faithful draft', () => {
    expect(scoreOutcome(TRUTH, outcome({}))).toEqual({ organisation: true, title: true, date: true, language: true, body: true, signatories: true });
  });

  it.each<[string, Partial<StoredOutcome['drafts'][number]>, boolean]>([
    ['the full name', { organisationName: 'Socialist Party of Malaysia' }, true],
    ['name and short name together', { organisationName: 'Socialist Party of Malaysia', organisationShort: 'PSM' }, true],
    ['an alternative (written with its short name)', { organisationName: 'Parti Sosialis Malaysia', organisationShort: 'PSM' }, true],
    ['a person', { organisationName: 'Nurul Aisyah' }, false],
  ])('organisation: %s', (_case, draft, ok) => {
    expect(scoreOutcome(TRUTH, outcome(draft)).organisation).toBe(ok);
  });

  it('fails a body with a cover note before it, and signatories with another role', () => {
    const s = scoreOutcome(TRUTH, outcome({ bodyText: 'Dear comrades, The Socialist Party ... imperialist war.', signatories: [{ name: 'Choo Chon Kai', role: null }] }));
    expect(s).toMatchObject({ body: false, signatories: false });
  });

  it('takes an office signing without a person, stored as the name alone, for the truth\'s {name: null, role}', () => {
    const truth = { ...TRUTH, signatories: [{ name: null, role: 'Executive Board' }] };
    expect(scoreOutcome(truth, outcome({ signatories: [{ name: 'Executive Board', role: null }] })).signatories).toBe(true);
    expect(scoreOutcome(truth, outcome({ signatories: [{ name: 'Jane Roe', role: 'Executive Board' }] })).signatories).toBe(false);
  });

  it('fails every field when two drafts or none came out', () => {
    const two = outcome({});
    two.drafts.push(two.drafts[0]!);
    expect(Object.values(scoreOutcome(TRUTH, two))).toEqual([false, false, false, false, false, false]);
  });

  it.each<[TruthLine['expect'], Partial<StoredOutcome>, boolean]>([
    ['ignored', { messageStatus: 'ignored', drafts: [] }, true],
    ['ignored', { messageStatus: 'ignored', notStatement: true, drafts: [] }, true],
    ['not_statement', { messageStatus: 'ignored', notStatement: true, drafts: [] }, true],
    ['ignored', { messageStatus: 'failed', drafts: [] }, false],
    ['not_statement', { messageStatus: 'drafted' }, false],
  ])('negative %s with %j -> %s', (expect_, stored, ok) => {
    expect(scoreOutcome({ file: 'x', expect: expect_ }, { ...outcome({}), ...stored })).toEqual({ negatives: ok });
  });
});
