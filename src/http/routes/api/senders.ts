// The sender's side of a statement over HTTP, as the statement page shows it:
//   GET    /api/statements/:id/acknowledgement                      acknowledged at, or why not
//   PUT    /api/statements/:id/sender-note                          the note on the sender's status page
//   DELETE /api/statements/:id/sender-note                          clears it
//   GET    /api/statements/:id/corrections                          corrections, each with a word-level diff
//   POST   /api/statements/:id/corrections/:correctionId/apply      a revision (If-Match required)
//   POST   /api/statements/:id/corrections/:correctionId/dismiss    the statement stays as it is
// The work is in src/answers (shared with the editors' pages); every change is audited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applyCorrection, dismissCorrection, findCorrections } from '../../../moderation/corrections.ts';
import { findSenderSide } from '../../../answers/editor-view.ts';
import { MAX_SENDER_NOTE_CHARS, setSenderNote } from '../../../answers/submissions.ts';
import type { AppDeps } from '../../app-deps.ts';
import { NotFoundError } from '../../../errors.ts';
import { findStatementText } from '../../../moderation/statement-lookups.ts';
import { problemSchema, uuidParamSchema } from '../../schemas/common.ts';
import { acknowledgementSchema, correctionListSchema, correctionSchema, correctionStatusSchema, senderNoteSchema, toAcknowledgement, toCorrection } from '../../schemas/sender.ts';
import { statementDetailSchema } from '../../schemas/statement.ts';
import { ifMatchHeaderSchemaDescription, requireIfMatch, setEtag } from './preconditions.ts';
import { EDITOR_SECURITY as security } from './security.ts';
import { sendDetail } from './statements.ts';

const tags = ['senders'];
const correctionParams = z.object({ id: z.uuid({ error: 'expected an id (a UUID)' }), correctionId: z.uuid({ error: 'expected a correction id (a UUID)' }) });
const ifMatchHeaders = z.object({ 'if-match': z.string().optional().describe(ifMatchHeaderSchemaDescription) });
const noBody = z.strictObject({}).nullish();

export default async function senderApiRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  async function statementOrNotFound(id: string) {
    const statement = await findStatementText(db, id);
    if (!statement) throw new NotFoundError('statement', id);
    return statement;
  }

  r.get('/statements/:id/acknowledgement', {
    schema: {
      tags,
      summary: 'Whether and when the sender was acknowledged, or why not; whether they have a status page, and its note',
      security,
      params: uuidParamSchema,
      response: { 200: acknowledgementSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request) => {
    await statementOrNotFound(request.params.id);
    return toAcknowledgement(await findSenderSide(db, request.params.id));
  });

  r.put('/statements/:id/sender-note', {
    schema: {
      tags,
      summary: "Set the note for the sender, shown on their status page when the statement is not published (audited)",
      description: `An empty note clears it. At most ${MAX_SENDER_NOTE_CHARS} characters. A statement whose sender got no acknowledgement has no status page: 409.`,
      security,
      params: uuidParamSchema,
      body: z.strictObject({ note: z.string().trim().max(MAX_SENDER_NOTE_CHARS, `keep the note under ${MAX_SENDER_NOTE_CHARS} characters`).describe('What the sender reads; plain text.') }),
      response: { 200: senderNoteSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema },
    },
  }, async (request) => {
    const saved = await setSenderNote(db, { statementId: request.params.id, note: request.body.note, actor: request.editor!, now: now() });
    request.log.info({ statementId: request.params.id, editorId: request.editor!.id, cleared: saved.note === null }, 'sender note saved');
    return { note: saved.note, updatedAt: saved.updatedAt.toISOString() };
  });

  r.delete('/statements/:id/sender-note', {
    schema: {
      tags,
      summary: 'Clear the note for the sender (audited)',
      security,
      params: uuidParamSchema,
      response: { 204: z.null().describe('Cleared.'), 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema },
    },
  }, async (request, reply) => {
    await setSenderNote(db, { statementId: request.params.id, note: '', actor: request.editor!, now: now() });
    request.log.info({ statementId: request.params.id, editorId: request.editor!.id, cleared: true }, 'sender note saved');
    return reply.code(204).send(null);
  });

  r.get('/statements/:id/corrections', {
    schema: {
      tags,
      summary: "Corrections the sender sent for this statement, each with a word-level diff against the statement's current text (ETag: the statement's version)",
      description: 'Pending first, then applied, then dismissed, each oldest first; at most 20.',
      security,
      params: uuidParamSchema,
      querystring: z.strictObject({ status: correctionStatusSchema.optional().describe('Only corrections in this state.') }),
      response: { 200: correctionListSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request, reply) => {
    const statement = await statementOrNotFound(request.params.id);
    const rows = await findCorrections(db, statement.id, statement.bodyText, request.query.status ? { statuses: [request.query.status] } : {});
    setEtag(reply, statement.version);
    return { items: rows.map(toCorrection), statementVersion: statement.version };
  });

  r.post('/statements/:id/corrections/:correctionId/apply', {
    schema: {
      tags,
      summary: "Apply a pending correction: the statement's text (and signatories, if it names some) replaced in one revision (If-Match required)",
      description:
        'Audited as statement.correction_apply; a published statement shows as corrected in the feeds. No If-Match: 428; a stale version: 412 and nothing changes; ' +
        'a correction already applied or dismissed: 409; a correction of another statement: 404.',
      security,
      params: correctionParams,
      headers: ifMatchHeaders,
      body: noBody,
      response: { 200: statementDetailSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema, 412: problemSchema, 428: problemSchema },
    },
  }, async (request, reply) => {
    const expectedVersion = requireIfMatch(request, 'statement');
    const { id, correctionId } = request.params;
    const result = await applyCorrection(db, { statementId: id, correctionId, expectedVersion, actor: request.editor!, now: now() });
    request.log.info({ statementId: id, correctionId, editorId: request.editor!.id, fields: result.changed, version: result.version }, 'statement corrected');
    return sendDetail(db, reply, id);
  });

  r.post('/statements/:id/corrections/:correctionId/dismiss', {
    schema: {
      tags,
      summary: 'Dismiss a pending correction: the statement stays as it is (audited)',
      description: 'A correction already applied or dismissed: 409; a correction of another statement: 404.',
      security,
      params: correctionParams,
      body: noBody,
      response: { 200: correctionSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema },
    },
  }, async (request) => {
    const { id, correctionId } = request.params;
    await dismissCorrection(db, { statementId: id, correctionId, actor: request.editor!, now: now() });
    request.log.info({ statementId: id, correctionId, editorId: request.editor!.id }, 'correction dismissed');
    const statement = await statementOrNotFound(id);
    const [dismissed] = await findCorrections(db, id, statement.bodyText, { id: correctionId });
    return toCorrection(dismissed!);
  });
}
