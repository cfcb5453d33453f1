import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { frameworkErrors } from './http/exception.filter.js';

/** Where `npm run build:web` put the browser app: dist/web, from the sources or the build. */
export function findWebRoot(): string | null {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [
    process.env.WEB_DIR,
    resolve(here, '../../../web'), // dist/apps/api/src → dist/web
    resolve(here, '../../../dist/web'), // apps/api/src → dist/web
  ].filter((c): c is string => Boolean(c));
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? null;
}

const API_PATHS = /^\/(api|docs|health)(\/|\?|$)/;
/** The paths answered with the prerendered officer's first screen (dist/web/officer/enterprises.html). */
const FIRST_SCREEN_PATHS = /^\/officer\/enterprises\/?$/;
/** Where the server writes the URL's ?q= into the prerendered page's search box. */
const Q_MARKER = 'data-q value=""';
/** Text made safe for a double-quoted HTML attribute (at most 100 characters, whole ones). */
const attribute = (text: string) =>
  Array.from(text)
    .slice(0, 100)
    .join('')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
/** Fastify's maxParamLength: a longer path segment matches no parametric route. */
const MAX_PARAM_LENGTH = 100;

/**
 * Serves the built web app under / from this process and origin (the CSP set by helmet covers
 * it: every script is a file from this origin). Hashed assets are cached for a year; index.html
 * and the service worker are revalidated on each load. Any other GET outside /api, /docs and
 * /health is a route of the single-page app and answers index.html — except
 * /officer/enterprises, which answers the officer's first screen prerendered
 * (officer/enterprises.html, with the URL's ?q= in its search box).
 */
export async function serveWebApp(
  app: NestFastifyApplication,
  root = findWebRoot(),
): Promise<void> {
  if (!root) {
    new Logger('Web').warn('the web app is not built (npm run build): serving the API only');
    return;
  }
  const indexHtml = readFileSync(join(root, 'index.html'));
  // The officer's first screen, prerendered by the web build (apps/web/src/first-screen).
  // Split once at the box's value, so a query is put between the halves and never read as
  // markup or as a replacement pattern.
  const officerHtml = existsSync(join(root, 'officer', 'enterprises.html'))
    ? readFileSync(join(root, 'officer', 'enterprises.html'), 'utf8').split(Q_MARKER)
    : null;
  if (officerHtml && officerHtml.length !== 2)
    throw new Error(`officer/enterprises.html must hold ${Q_MARKER} once`);
  await app.register(fastifyStatic as never, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    decorateReply: false,
    // dist/web holds a .br and a .gz of each text asset (apps/web/scripts/compress.mjs).
    preCompressed: true,
    setHeaders: (reply: { header(name: string, value: string): unknown }, path: string) => {
      reply.header(
        'cache-control',
        path.includes(`${join(root, 'assets')}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const fallback = (
    request: { url: string },
    reply: {
      callNotFound(): void;
      type(t: string): typeof reply;
      header(k: string, v: string): typeof reply;
      send(b: Buffer): void;
    },
  ) => {
    if (API_PATHS.test(request.url)) {
      // A GET whose path parameter is too long for its route falls through to this catch-all
      // (not to the router's 414): answered as the router answers other methods.
      const path = request.url.split('?')[0]!;
      if (path.split('/').some((segment) => segment.length > MAX_PARAM_LENGTH)) {
        const tooLong = Object.assign(new Error('path parameter too long'), {
          code: 'FST_ERR_MAX_PARAM_LENGTH',
          statusCode: 414,
        }) as FastifyError;
        return frameworkErrors(
          tooLong,
          request as unknown as FastifyRequest,
          reply as unknown as FastifyReply,
        );
      }
      return reply.callNotFound();
    }
    const query = request.url.indexOf('?');
    const path = query < 0 ? request.url : request.url.slice(0, query);
    const q = query < 0 ? '' : (new URLSearchParams(request.url.slice(query + 1)).get('q') ?? '');
    const body =
      officerHtml && FIRST_SCREEN_PATHS.test(path)
        ? Buffer.from(`${officerHtml[0]}data-q value="${attribute(q)}"${officerHtml[1]}`)
        : indexHtml;
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
  };
  fastify.get('/', fallback as never);
  fastify.get('/*', fallback as never);
}
