// GET /assets/public.css: the stylesheet of the public pages, read once at start; GET
// /favicon.ico, which every browser asks for (a 404 in every log otherwise).
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { PUBLIC_CSS_PATH } from '../../../publishing/public-urls.ts';
import { toCachedResponse } from '../../../publishing/response-cache.ts';
import { sendPublic } from './send-public.ts';

const STYLESHEET_URL = new URL('../../views/public/public.css', import.meta.url);

export default async function publicAssetRoutes(app: FastifyInstance) {
  const css = toCachedResponse({
    body: readFileSync(STYLESHEET_URL),
    contentType: 'text/css; charset=utf-8',
    lastModified: new Date(),
  });
  app.get(PUBLIC_CSS_PATH, { schema: { hide: true } }, async (request, reply) => sendPublic(request, reply, css));
  const icon = toCachedResponse({ body: buildFavicon(), contentType: 'image/x-icon', lastModified: new Date() });
  app.get('/favicon.ico', { schema: { hide: true } }, async (request, reply) => sendPublic(request, reply, icon));
}

const ICON_SIZE = 16;

/**
 * A 16x16 icon drawn here rather than shipped as a binary: a page with lines of text, in the
 * editors' pages' dark blue. ICO with one 32-bit BMP image (rows bottom-up, then the AND mask).
 */
export function buildFavicon(): Buffer {
  const pixels = Buffer.alloc(ICON_SIZE * ICON_SIZE * 4);
  for (let y = 0; y < ICON_SIZE; y++) {
    for (let x = 0; x < ICON_SIZE; x++) {
      const top = ICON_SIZE - 1 - y; // BMP rows run bottom-up
      const inPage = x >= 2 && x <= 13 && top >= 1 && top <= 14;
      const line = x >= 4 && x <= 11 && top >= 4 && top <= 12 && top % 3 === 1 && !(top === 10 && x > 8);
      const [r, g, b, a] = !inPage ? [0, 0, 0, 0] : line ? [255, 255, 255, 255] : [0x1d, 0x3a, 0x6e, 255];
      pixels.writeUInt8(b, (y * ICON_SIZE + x) * 4);
      pixels.writeUInt8(g, (y * ICON_SIZE + x) * 4 + 1);
      pixels.writeUInt8(r, (y * ICON_SIZE + x) * 4 + 2);
      pixels.writeUInt8(a, (y * ICON_SIZE + x) * 4 + 3);
    }
  }
  const mask = Buffer.alloc(ICON_SIZE * 4); // 1 bit per pixel, rows padded to 4 bytes; alpha decides
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(ICON_SIZE, 4);
  header.writeInt32LE(ICON_SIZE * 2, 8); // colour rows plus mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([header, pixels, mask]);
  const directory = Buffer.alloc(6 + 16);
  directory.writeUInt16LE(0, 0);
  directory.writeUInt16LE(1, 2); // icon
  directory.writeUInt16LE(1, 4); // one image
  directory.writeUInt8(ICON_SIZE, 6);
  directory.writeUInt8(ICON_SIZE, 7);
  directory.writeUInt16LE(1, 10);
  directory.writeUInt16LE(32, 12);
  directory.writeUInt32LE(image.length, 14);
  directory.writeUInt32LE(directory.length, 18);
  return Buffer.concat([directory, image]);
}
