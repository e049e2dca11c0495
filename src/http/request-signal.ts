// An AbortSignal that fires when the client of a request goes away before its response is sent,
// so the database query working for it can be cancelled (src/db/sql.ts queryCancellable).
import type { FastifyReply, FastifyRequest } from 'fastify';

export function requestAbortSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const response = reply.raw;
  const onClose = () => {
    // 'close' also follows a response sent in full: only a response cut short is an abort.
    if (!response.writableFinished) controller.abort(new Error(`the client went away (${request.method} ${request.url})`));
  };
  response.once('close', onClose);
  return controller.signal;
}
