// Transport limits of the HTTP server: how long a client may take to send a request, how long an
// idle connection lives, and how many connections one address may hold. Without them, 800
// connections each sending 999,990 of a 1,000,000-byte body held about 1 MB each for minutes.
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpLimits } from '../config.ts';

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  connectionTimeoutMs: 60_000,
  keepAliveTimeoutMs: 72_000,
  maxConnectionsPerIp: 0,
  requestsPerMinutePerIp: 0,
});

/** Fastify server options for the limits (node's http options go under `http`). */
export function serverTimeoutOptions(limits: HttpLimits) {
  const shortest = Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs);
  const http: ServerOptions = {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    // Node looks for requests past their time only this often (30 s by default), so a limit of
    // a few seconds would really be up to 30 s more.
    connectionsCheckingInterval: Math.min(5_000, Math.max(100, Math.floor(shortest / 4))),
  };
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http,
  };
}

/**
 * Closes a new connection at once when its address already holds `max` open ones (0: no cap).
 * Counted on the socket's own address: behind a reverse proxy every connection is the proxy's,
 * so there the cap belongs to the proxy (see docs/security.md).
 */
export function capConnectionsPerIp(server: Server, max: number, onRefused?: (address: string, open: number) => void): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      onRefused?.(address, count);
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
