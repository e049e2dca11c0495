// The pure pieces of the editors' pages, table-driven: what needs checking, the statement form,
// the history, redirects after sign-in, file names in downloads, and remote images on request.
import { describe, expect, it } from 'vitest';
import { summariseDetails } from '../src/http/routes/web/activity.ts';
import { checksFor } from '../src/moderation/draft-checks.ts';
import { buildTimeline } from '../src/moderation/statement-history.ts';
import { restoreRemoteImages } from '../src/http/routes/web/messages.ts';
import { safeNextPath } from '../src/http/routes/web/sign-in.ts';
import { changedFields, parseStatementForm, textToSignatories, type StatementFormValues } from '../src/moderation/statement-form.ts';
import { sanitizeEmailHtml } from '../src/html/sanitize.ts';

describe('checksFor', () => {
  const extraction = { fields: { title: { source: 'subject', confidence: 0.5 }, body: { source: 'text-part', confidence: 0.9 }, date: { source: 'date-header', confidence: 0.59 } }, warnings: ['short'] };
  it.each([
    ['a draft flags unsure fields, as the editor names them', { status: 'draft' }, {}, ['title', 'date'], true],
    ['an edited title is no longer flagged', { status: 'draft' }, { editedFields: new Set(['title']) }, ['date'], true],
    ['a published statement flags nothing', { status: 'published' }, {}, [], false],
  ] as const)('%s', (_name, statement, options, labels, unverified) => {
    const checks = checksFor({ ...statement, extraction, likelyDuplicateOfId: null, senderVerified: false, messageId: 'm' }, options);
    expect(checks.lowConfidenceLabels).toEqual(labels);
    expect(checks.senderUnverified).toBe(unverified);
  });
  it('does not call a statement typed in by an editor unverified', () => {
    expect(checksFor({ status: 'draft', extraction: { fields: {}, warnings: [] }, likelyDuplicateOfId: null, senderVerified: false, messageId: null }).senderUnverified).toBe(false);
  });
});

describe('statement form', () => {
  const saved: StatementFormValues = { title: 'T', organisationName: 'Org', organisationShort: '', statementDate: '2026-02-24', language: 'en', bodyText: 'One.\n\nTwo.', signatories: 'Ana, chair', topicId: '' };
  it.each([
    ['nothing changed (line endings and spacing aside)', { bodyText: 'One.\r\n\r\nTwo.\n', signatories: ' Ana ,  chair ' }, {}],
    ['a new title', { title: 'New' }, { title: 'New' }],
    ['an emptied field becomes null', { organisationName: '', statementDate: '' }, { organisationName: null, statementDate: null }],
    ['signatories as a list', { signatories: 'Ana, chair\nBo' }, { signatories: [{ name: 'Ana', role: 'chair' }, { name: 'Bo', role: null }] }],
  ] as const)('%s', (_name, edit, patch) => {
    expect(changedFields(saved, { ...saved, ...edit })).toEqual(patch);
  });
  it.each([
    [{ version: '3', title: ' A title ', language: 'pt-BR' }, {}],
    [{ version: '3', title: '' }, { title: 'A statement needs a title.' }],
    [{ version: '3', title: 'x', statementDate: '24/02/2026' }, { statementDate: 'Write a date that exists as year-month-day (YYYY-MM-DD, e.g. 2022-03-02), or leave it empty.' }],
    // Regression: JavaScript reads 2022-02-30 as 2 March, and the form saved that.
    [{ version: '3', title: 'x', statementDate: '2022-02-30' }, { statementDate: 'Write a date that exists as year-month-day (YYYY-MM-DD, e.g. 2022-03-02), or leave it empty.' }],
    [{ title: 'x' }, { version: 'The form is missing its version: reload the page and make your change again.' }],
  ])('reads %j', (body, errors) => {
    expect(parseStatementForm(body).errors).toEqual(errors);
  });
  it('splits a signatory at its first comma', () => {
    expect(textToSignatories('Kim, General Secretary, KCTU\n\n  Lee  ')).toEqual([{ name: 'Kim', role: 'General Secretary, KCTU' }, { name: 'Lee', role: null }]);
  });
});

describe('buildTimeline', () => {
  it('merges edits and decisions newest first, with topic names and without the HTML twin of a text change', () => {
    const items = buildTimeline(
      [{ version: 2, createdAt: new Date('2026-03-01T10:00:00Z'), editor: { email: 'a@x.org', name: null }, changes: { bodyText: { from: 'a', to: 'b' }, bodyHtml: { from: '<p>a</p>', to: '<p>b</p>' }, topicId: { from: null, to: 't1' } } }],
      [
        { at: new Date('2026-03-01T11:00:00Z'), actorLabel: 'b@x.org', action: 'statement.reject', details: { reason: 'Spam' } },
        { at: new Date('2026-03-01T10:00:00Z'), actorLabel: 'a@x.org', action: 'statement.edit', details: {} },
      ],
      { topicTitles: new Map([['t1', 'Ukraine']]) },
    );
    expect(items.map((i) => i.what)).toEqual(['Rejected', 'Edited (version 2)']);
    expect(items[0]!.detail).toBe('Reason: Spam');
    expect(items[1]!.changes).toEqual([{ field: 'Text', from: 'a', to: 'b' }, { field: 'Topic', from: '(empty)', to: 'Ukraine' }]);
  });
});

describe('safeNextPath', () => {
  it.each([
    ['/editor/topics', '/editor/topics'],
    ['/editor?status=draft', '/editor?status=draft'],
    ['https://evil.example.net/', '/editor'],
    ['//evil.example.net/editor', '/editor'],
    ['/editor/..//evil', '/editor'],
    ['/editorial', '/editor'],
    ['/\\evil.example.net', '/editor'],
    // A header split (CRLF) or a character Node refuses in Location was a 500 after sign-in.
    ['/editor\r\nSet-Cookie: sd_session=x', '/editor'],
    ['/editor/\u4e00', '/editor'],
    ['/editor/a b', '/editor'],
    [undefined, '/editor'],
  ])('%s -> %s', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe('remote images', () => {
  it('turns back only the images the sanitiser made into links', () => {
    const html = sanitizeEmailHtml('<p><img src="https://img.example.org/a.png?x=1&y=2" alt="Logo"> <a href="https://example.org/">[image: fake]</a> <a href="https://example.org/x">read</a></p>');
    const shown = restoreRemoteImages(html);
    expect(shown).toContain('<img src="https://img.example.org/a.png?x=1&amp;y=2" alt="Logo" referrerpolicy="no-referrer"');
    expect(shown).toContain('<a href="https://example.org/x" rel="nofollow noopener noreferrer">read</a>');
    expect(shown.match(/<img/g)).toHaveLength(2); // a link an email wrote as "[image: ...]" also shows, still only over http(s)
  });

  it('keeps a quote-laden alt inside the alt attribute (it wrote style and event attributes of its own)', () => {
    const hostileAlt = `x" style="position:fixed;inset:0;background:url(https://evil.example/t)" onerror="alert(1)" data-q="y`;
    const html = sanitizeEmailHtml(
      `<p><img src="https://img.example.org/a.png" alt='${hostileAlt}'> <a href="https://example.org/">[image: z" onload="alert(2)]</a></p>`,
    );
    const shown = restoreRemoteImages(html);
    const images = shown.match(/<img [^>]*>/g) ?? [];
    expect(images).toHaveLength(2);
    for (const image of images) {
      // Exactly the attributes we write, each once: nothing the alt text carried became one.
      const names = [...image.matchAll(/\s([a-z-]+)="[^"]*"/g)].map((m) => m[1]);
      expect(names).toEqual(['src', 'alt', 'referrerpolicy', 'style']);
    }
    expect(images[0]).toContain(`alt="x&quot; style=&quot;position:fixed;inset:0;background:url(https://evil.example/t)&quot; onerror=&quot;alert(1)&quot; data-q=&quot;y"`);
    expect(images[1]).toContain('alt="z&quot; onload=&quot;alert(2)"');
  });
});

describe('summariseDetails', () => {
  it.each([
    [{ from: 'draft', to: 'rejected', reason: 'Spam', version: 2 }, 'draft → rejected; reason: Spam; version 2'],
    [{ fields: ['bodyHtml', 'bodyText', 'topicId'], version: 3 }, 'changed text, topic; version 3'],
    [null, ''],
  ])('%j', (details, text) => {
    expect(summariseDetails(details)).toBe(text);
  });
});
