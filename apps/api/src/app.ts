import helmet from 'helmet';
import { LogController, type FastifyError } from 'fastify';
import type { LoggerService } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument, UNPREFIXED_ROUTES } from './openapi.js';
import { serveWebApp } from './web.js';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config.js';
import {
  AllExceptionsFilter,
  clientErrorHandler,
  frameworkErrors,
} from './http/exception.filter.js';
import { AccessTokens } from './auth/access-tokens.js';
import { registerRateLimits } from './auth/rate-limit.js';
import { createLogger, PinoNestLogger } from './http/logging.js';
import { depthLimitedJsonParser } from './http/json-body.js';
import { genRequestId } from './http/request-context.js';
import { noNulPipe, validationPipe } from './http/validation.js';
import { withReferenceCheck } from './http/reference-check.js';
import { Catalogues } from './reference/catalogues.js';
import type { Clock } from './infrastructure/tokens.js';

export const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP application (not listening yet): used by main and by the end-to-end tests. */
export async function createApp(
  config: AppConfig & { DATABASE_URL: string },
  options: {
    clock?: Clock;
    logger?: LoggerService | false;
    logDestination?: DestinationStream;
  } = {},
): Promise<NestFastifyApplication> {
  const log = createLogger(config.LOG_LEVEL, options.logDestination);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    genReqId: genRequestId,
    loggerInstance: log,
    // One line per request, written below when it completes (with the user), not two.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'requestId',
    }),
    // Trust exactly TRUST_PROXY hops of X-Forwarded-For, counted from the socket.
    trustProxy: (_address: string, hop: number) => hop < config.TRUST_PROXY,
    // Errors Fastify answers itself (a bad URL, an unreadable request) in the one error shape.
    frameworkErrors,
    clientErrorHandler,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ip: request.ip,
        ...(request.principal
          ? { userId: request.principal.userId, role: request.principal.role }
          : {}),
      },
      'request',
    );
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.clock),
    adapter,
    {
      logger: options.logger ?? new PinoNestLogger(log),
      abortOnError: false,
    },
  );
  // Security headers. The CSP lets the OpenAPI page at /docs run its own script and styles.
  // Helmet's middleware is built once and run on the raw response: @fastify/helmet built
  // it anew on every request (its directives parsed each time, ≈ 4 % of a command's CPU).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        scriptSrc: [`'self'`],
        // The default deployment is plain HTTP on 127.0.0.1: do not send the browser to https.
        upgradeInsecureRequests: null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );
  await registerRateLimits(app, config, app.get(AccessTokens));
  const origins = config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // The CORS preflight route (OPTIONS *) is @fastify/cors's, outside Nest's error handling:
  // a body it cannot parse answered in Fastify's shape (found by the fuzz). A preflight has
  // no body, so an OPTIONS request that sends one is refused before parsing, in ours.
  fastify.addHook('onRequest', (request, reply, done) => {
    const sized = Number(request.headers['content-length'] ?? 0) > 0;
    if (
      request.method === 'OPTIONS' &&
      (sized || request.headers['content-type'] || request.headers['transfer-encoding'])
    ) {
      const error = Object.assign(new Error('OPTIONS with a body'), {
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        statusCode: 415,
      }) as FastifyError;
      frameworkErrors(error, request, reply);
      return;
    }
    done();
  });
  app.enableCors({
    origin: origins.length ? origins : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'idempotency-key',
      'if-match',
      'x-consistent-with',
      'x-correlation-id',
    ],
    exposedHeaders: ['etag', 'location', 'x-correlation-id', 'idempotent-replayed', 'retry-after'],
    maxAge: 600,
  });
  // Absurdly nested JSON answers 400 before anything walks it.
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT }, depthLimitedJsonParser(fastify));
  // JSON only: a text/plain body answers 415 rather than reaching validation as a string.
  adapter.getInstance().removeContentTypeParser('text/plain');
  app.setGlobalPrefix('api/v1', { exclude: UNPREFIXED_ROUTES });
  const catalogues = app.get(Catalogues);
  app.useGlobalPipes(
    noNulPipe,
    withReferenceCheck(validationPipe, () => catalogues.current()),
  );
  app.useGlobalFilters(new AllExceptionsFilter());

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document);
  // The browser app (apps/web, built into dist/web) under /, same origin, same CSP.
  await serveWebApp(app);
  return app;
}
