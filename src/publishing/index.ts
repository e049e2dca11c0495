// What other parts of the app use from publishing: the preview for the editors' pages, the
// statement view-model (for templates that include views/public/_statement.eta themselves), and
// the public URLs.
export { renderStatementPreview, PUBLIC_CSS_PATH } from './render-preview.ts';
export { toStatementView, type PublicStatementInput, type StatementView, type StatementViewOptions } from './public-statement.ts';
export { feedUrl, statementUrl, topicUrl, homeUrl } from './public-urls.ts';
