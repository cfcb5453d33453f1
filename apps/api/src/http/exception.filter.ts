import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '#domain';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from '#event-store';
import { HttpProblem, type ErrorDto } from './errors.js';
import { languageOf, localize } from './i18n.js';
import { correlationIdOf } from './request-context.js';

const DOMAIN_STATUS = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
} as const satisfies Record<DomainErrorKind, number>;

/** Fastify's own client errors (body parsing, limits), by code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
    message: 'The body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'REQUEST.EMPTY_BODY',
    message: 'The JSON body is empty',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'REQUEST.BODY_TOO_LARGE',
    message: 'The body is larger than 1 MB',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'REQUEST.BAD_CONTENT_LENGTH',
    message: 'Content-Length does not match the body',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'REQUEST.BAD_URL',
    message: 'The URL is not valid: percent-encode it as UTF-8 (encodeURIComponent)',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'REQUEST.PARAM_TOO_LONG',
    message: 'A path parameter is longer than 100 characters',
  },
  FST_ERR_ASYNC_CONSTRAINT: {
    status: 400,
    code: 'REQUEST.BAD_URL',
    message: 'The request matches no route constraint',
  },
};

/**
 * Fastify's router errors (a URL that is not valid percent-encoding), which never reach
 * Nest's filters: answered in the one error shape. The `frameworkErrors` option of the adapter.
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const correlationId = correlationIdOf(request);
  const { body, headers } = toErrorResponse(error, correlationId);
  void reply
    .status(body.statusCode)
    .headers({
      ...headers,
      'x-correlation-id': correlationId,
      'content-language': language(request),
    })
    .send(localize(body, languageOf(request)));
}

/**
 * A request Node's HTTP parser refuses before Fastify sees it (raw UTF-8 bytes or spaces in
 * the URL, a malformed request line, headers over 16 KB): the one error shape, written to
 * the socket, in English (the request's headers could not be read). The `clientErrorHandler`
 * option of the adapter.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [statusCode, status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          'REQUEST.HEADERS_TOO_LARGE',
          'The request headers are larger than 16 KB',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'REQUEST.TIMEOUT', 'The request took too long to arrive']
        : [
            400,
            'Bad Request',
            'REQUEST.MALFORMED',
            'The request could not be read: percent-encode the URL as UTF-8 (e.g. encodeURIComponent for a query value such as q=张伟) and send a well-formed HTTP request',
          ];
  const correlationId = randomUUID();
  const body = JSON.stringify({ statusCode, code, message, correlationId } satisfies ErrorDto);
  socket.end(
    `HTTP/1.1 ${statusCode} ${status}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Correlation-Id: ${correlationId}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/** Connection failures, and PostgreSQL's "connection exception" (08…) and shutdown (57P0…) states. */
function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (
    typeof code === 'string' &&
    (NETWORK_ERRORS.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code))
  )
    return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect/i.test(message);
}

/** Turns any error into the ErrorDto shape with the right status. */

/**
 * A 401 names the scheme to authenticate with (RFC 9110: WWW-Authenticate: Bearer); a 423
 * says when to try again (Retry-After).
 */
function domainErrorHeaders(error: DomainError): { headers?: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error.kind === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
  if (typeof error.details?.retryAfterSeconds === 'number')
    headers['retry-after'] = String(error.details.retryAfterSeconds);
  return Object.keys(headers).length ? { headers } : {};
}

export function toErrorResponse(
  error: unknown,
  correlationId: string,
  options: { ifMatch?: boolean } = {},
): { body: ErrorDto; headers?: Record<string, string> } {
  if (error instanceof HttpProblem) {
    return {
      body: {
        statusCode: error.statusCode,
        code: error.code,
        message: error.message,
        errors: error.errors,
        correlationId,
      },
      headers: error.headers,
    };
  }
  if (error instanceof DomainError) {
    const statusCode = DOMAIN_STATUS[error.kind];
    return {
      body: {
        statusCode,
        code: error.code,
        message: error.message,
        ...(error.field
          ? { errors: [{ field: error.field, rule: error.code, message: error.message }] }
          : {}),
        ...(error.details ? { details: error.details } : {}),
        correlationId,
      },
      ...domainErrorHeaders(error),
    };
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return {
      body: {
        statusCode: 422,
        code: 'IDEMPOTENCY.KEY_REUSED',
        message:
          'This Idempotency-Key was already used for a different request; use a new key for a new request',
        correlationId,
      },
    };
  }
  if (error instanceof WrongExpectedVersionError) {
    // With If-Match the client named the version it saw: that precondition failed (412).
    // Without it, a concurrent writer won a race the retries could not settle (409).
    return options.ifMatch
      ? {
          body: {
            statusCode: 412,
            code: 'STREAM.PRECONDITION_FAILED',
            message: 'The record is no longer at the version in If-Match; reload it and try again',
            correlationId,
          },
        }
      : {
          body: {
            statusCode: 409,
            code: 'STREAM.VERSION_CONFLICT',
            message: 'Someone else changed this record at the same moment; reload it and try again',
            correlationId,
          },
        };
  }
  // Nest wraps Fastify's body-parsing errors in an HttpException with the original as cause.
  const e = error as { code?: string; cause?: { code?: string } } | undefined;
  const fastifyCode = e?.code ?? e?.cause?.code;
  const known = fastifyCode ? FASTIFY_ERRORS[fastifyCode] : undefined;
  if (known)
    return {
      body: { statusCode: known.status, code: known.code, message: known.message, correlationId },
    };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code =
      status === 404
        ? 'ROUTE.NOT_FOUND'
        : status === 405
          ? 'ROUTE.METHOD_NOT_ALLOWED'
          : `HTTP.${status}`;
    return { body: { statusCode: status, code, message: error.message, correlationId } };
  }
  const status = (error as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      body: {
        statusCode: status,
        code: `HTTP.${status}`,
        message: (error as Error).message,
        correlationId,
      },
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      body: {
        statusCode: 503,
        code: 'DATABASE.UNAVAILABLE',
        message: 'The database is unreachable; retry shortly',
        correlationId,
      },
      headers: { 'retry-after': '2' },
    };
  }
  return {
    body: {
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Something went wrong on our side; it has been logged',
      correlationId,
    },
  };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const correlationId = correlationIdOf(request);
    const { body, headers } = toErrorResponse(error, correlationId, {
      ifMatch: request?.headers?.['if-match'] !== undefined,
    });
    if (body.statusCode >= 500) {
      this.logger.error(
        `${request.method} ${request.url} failed [${correlationId}]`,
        (error as Error)?.stack ?? String(error),
      );
    }
    void reply
      .status(body.statusCode)
      .headers({
        ...headers,
        'x-correlation-id': correlationId,
        'content-language': language(request),
      })
      .send(localize(body, languageOf(request)));
  }
}

const language = (request: FastifyRequest | undefined) =>
  languageOf(request) === 'zh-CN' ? 'zh-CN' : 'en';
