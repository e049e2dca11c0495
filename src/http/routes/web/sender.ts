// The sender's side of a statement on its page: the note for the sender's status page, and the
// pending corrections the sender sent (apply or dismiss).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applyCorrection, dismissCorrection } from '../../../moderation/corrections.ts';
import { setSenderNote } from '../../../answers/submissions.ts';
import type { AppDeps } from '../../app-deps.ts';
import { uuidParamSchema } from '../../schemas/common.ts';
import { redirectWithNotice } from './render.ts';

export default async function senderRoutes(app: FastifyInstance, options: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.deps;
  const now = options.deps.now ?? (() => new Date());

  r.post('/statements/:id/sender-note', { schema: { params: uuidParamSchema, body: z.object({ note: z.string().max(4000).default('') }).passthrough() } }, async (request, reply) => {
    await setSenderNote(db, { statementId: request.params.id, note: request.body.note, actor: request.editor!, now: now() });
    return redirectWithNotice(reply, `/editor/statements/${request.params.id}`, 'sender_note_saved');
  });

  const correctionParams = z.object({ id: z.uuid(), correctionId: z.uuid() });
  r.post('/statements/:id/corrections/:correctionId/apply', {
    schema: { params: correctionParams, body: z.object({ version: z.coerce.number().int().min(1) }).passthrough() },
  }, async (request, reply) => {
    const { id, correctionId } = request.params;
    await applyCorrection(db, { statementId: id, correctionId, expectedVersion: request.body.version, actor: request.editor!, now: now() });
    return redirectWithNotice(reply, `/editor/statements/${id}`, 'correction_applied');
  });

  r.post('/statements/:id/corrections/:correctionId/dismiss', { schema: { params: correctionParams } }, async (request, reply) => {
    const { id, correctionId } = request.params;
    await dismissCorrection(db, { statementId: id, correctionId, actor: request.editor!, now: now() });
    return redirectWithNotice(reply, `/editor/statements/${id}`, 'correction_dismissed');
  });
}
