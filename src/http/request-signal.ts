// An AbortSignal that fires when the client of a request goes away before its response is sent,
// so the database query working for it can be cancelled (src/db/sql.ts queryCancellable).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';

/** Why a request's work stopped: nobody is waiting for the answer (nginx's 499). Logged, never sent. */
export class ClientGoneError extends DomainError {
  constructor(what: string) {
    super('client_gone', 499, `The client went away before the answer to ${what} was ready; its query was cancelled.`);
  }
}

export function requestAbortSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const response = reply.raw;
  const onClose = () => {
    // 'close' also follows a response sent in full: only a response cut short is an abort.
    if (!response.writableFinished) controller.abort(new ClientGoneError(`${request.method} ${request.url}`));
  };
  // The client may have gone while the request was authenticated, before this was asked for:
  // 'close' has been emitted then and will not come again. Without this check, the request's
  // queries ran for nobody (and, while the service was stopping, on a pool already ended).
  if (response.closed) onClose();
  else response.once('close', onClose);
  return controller.signal;
}
