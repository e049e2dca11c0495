// Small reads of statements for the editors' pages and the JSON API, beside the queue's and one
// statement's reads in statement-queries.ts: a statement's version, title or text, the choices
// the statement page's forms offer, and the statements a topic may take.
import type { DbTx } from '../db/client.ts';

/** Statements an editor may mean when marking this one a duplicate: the likely one first, then
 * the same organisation's, then the most recent. */
export async function findDuplicateChoices(
  db: DbTx,
  statement: { id: string; organisationName: string | null; likelyDuplicateOfId: string | null },
  limit = 40,
) {
  const select = { id: true, title: true, status: true, organisationName: true, createdAt: true } as const;
  const [likely, sameOrganisation, recent] = await Promise.all([
    statement.likelyDuplicateOfId ? db.statement.findUnique({ where: { id: statement.likelyDuplicateOfId }, select }) : null,
    statement.organisationName
      ? db.statement.findMany({ where: { organisationName: statement.organisationName, id: { not: statement.id } }, orderBy: { createdAt: 'desc' }, take: limit, select })
      : [],
    db.statement.findMany({ where: { id: { not: statement.id } }, orderBy: { createdAt: 'desc' }, take: limit, select }),
  ]);
  const seen = new Set<string>();
  return [likely, ...sameOrganisation, ...recent].filter((s): s is NonNullable<typeof s> => {
    if (!s || seen.has(s.id)) return false;
    seen.add(s.id);
    return true;
  }).slice(0, limit);
}

export async function findStatementTitle(db: DbTx, id: string | null) {
  if (!id) return null;
  return db.statement.findUnique({ where: { id }, select: { id: true, title: true, status: true } });
}

/** The version (the ETag) and topic of a statement, or null when there is none with this id. */
export async function findStatementVersion(db: DbTx, id: string) {
  return db.statement.findUnique({ where: { id }, select: { version: true, topicId: true } });
}

export async function statementExists(db: DbTx, id: string): Promise<boolean> {
  return (await db.statement.findUnique({ where: { id }, select: { id: true } })) !== null;
}

/** What a correction of a statement's text is made from. */
export async function findStatementText(db: DbTx, id: string) {
  return db.statement.findUnique({ where: { id }, select: { id: true, bodyText: true, version: true } });
}

/** Statements an editor may add to a topic: any not yet in a topic and not rejected. */
export async function findStatementsWithoutTopic(db: DbTx) {
  return db.statement.findMany({
    where: { topicId: null, status: { in: ['draft', 'approved', 'published'] } },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: { id: true, title: true, status: true, organisationName: true },
  });
}

/**
 * The languages statements are in, from the language index: a skip scan (one index probe per
 * language) instead of grouping every statement on every page of the queue.
 */
export async function listStatementLanguages(db: DbTx): Promise<string[]> {
  const rows = await db.$queryRaw<{ language: string }[]>`
    WITH RECURSIVE languages(language) AS (
      (SELECT language FROM statements WHERE language IS NOT NULL ORDER BY language LIMIT 1)
      UNION ALL
      SELECT (SELECT s.language FROM statements s WHERE s.language > l.language ORDER BY s.language LIMIT 1)
        FROM languages l WHERE l.language IS NOT NULL)
    SELECT language FROM languages WHERE language IS NOT NULL`;
  return rows.map((r) => r.language);
}
