// Sends a public response with its validators (strong ETag, Last-Modified) and Cache-Control,
// or a bodiless 304 when the client's copy is current.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isNotModified, PUBLIC_CACHE_CONTROL, toHttpDate } from '../../../publishing/http-cache.ts';
import type { CachedResponse } from '../../../publishing/response-cache.ts';

export function sendPublic(request: FastifyRequest, reply: FastifyReply, response: CachedResponse): FastifyReply {
  reply
    .header('etag', response.etag)
    .header('last-modified', toHttpDate(response.lastModified))
    .header('cache-control', PUBLIC_CACHE_CONTROL);
  if (response.statusCode === 200 && isNotModified(request.headers, response)) {
    return reply.code(304).send();
  }
  return reply.code(response.statusCode).type(response.contentType).send(response.body);
}
