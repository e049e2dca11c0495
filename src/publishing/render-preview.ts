// The editors' preview: a statement rendered by the same partial (views/public/_statement.eta)
// and the same view-model as its public page, so what an editor sees is what readers will see.
// Works for any state (a draft too): the caller decides who may see it.
import type { FastifyInstance } from 'fastify';
import { toStatementView, type PublicStatementInput, type StatementViewOptions } from './public-statement.ts';

/** The CSS the preview markup expects; link it (or copy its rules) on the page showing the preview. */
export { PUBLIC_CSS_PATH } from './public-urls.ts';

/**
 * HTML of the statement as its public page shows it (without the page around it), wrapped in
 * `<div class="public-preview">`. Safe to print raw: the body is sanitised again and every other
 * value escaped. Give `attachmentUrl` to link files to the editors' own download route, since
 * the public attachment URL answers 404 until the statement is published.
 */
export async function renderStatementPreview(
  app: FastifyInstance,
  statement: PublicStatementInput,
  options: StatementViewOptions,
): Promise<string> {
  return app.view('public/preview', { statement: toStatementView(statement, options) });
}
