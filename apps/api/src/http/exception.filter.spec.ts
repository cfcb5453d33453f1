import { NotFoundException } from '@nestjs/common';
import { conflict, forbidden, invalid, notFound, unauthenticated } from '#domain';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from '#event-store';
import { HttpProblem } from './errors.js';
import { toErrorResponse } from './exception.filter.js';

const status = (error: unknown) => toErrorResponse(error, 'c-1').body.statusCode;
const code = (error: unknown) => toErrorResponse(error, 'c-1').body.code;

describe('error responses', () => {
  it('maps domain refusals by kind, keeping their stable code and field', () => {
    expect(status(invalid('CASE.INVALID_MESSAGE', 'message must…', 'message'))).toBe(400);
    expect(toErrorResponse(invalid('X.Y', 'm', 'message'), 'c').body.errors).toEqual([
      { field: 'message', rule: 'X.Y', message: 'm' },
    ]);
    expect(status(notFound('CASE.NOT_FOUND', 'm'))).toBe(404);
    expect(status(conflict('CASE.ALREADY_RESOLVED', 'm'))).toBe(409);
    expect(code(conflict('CASE.ALREADY_RESOLVED', 'm'))).toBe('CASE.ALREADY_RESOLVED');
  });

  it('answers 401 with WWW-Authenticate: Bearer for an unauthenticated refusal, 403 without', () => {
    const refused = toErrorResponse(unauthenticated('AUTH.SESSION_ENDED', 'm'), 'c-1');
    expect([refused.body.statusCode, refused.headers]).toEqual([
      401,
      { 'www-authenticate': 'Bearer' },
    ]);
    const denied = toErrorResponse(forbidden('ACCOUNT.DISABLED', 'm'), 'c-1');
    expect([denied.body.statusCode, denied.headers]).toEqual([403, undefined]);
  });

  it('maps a version conflict to 409 and edge problems to their own status', () => {
    expect([
      status(new WrongExpectedVersionError('case-1', 3)),
      code(new WrongExpectedVersionError('case-1', 3)),
    ]).toEqual([409, 'STREAM.VERSION_CONFLICT']);
    expect(status(new HttpProblem(412, 'STREAM.PRECONDITION_FAILED', 'm'))).toBe(412);
    expect(code(new NotFoundException())).toBe('ROUTE.NOT_FOUND');
  });

  it('maps a version conflict to 412 when the request carried If-Match', () => {
    const { body } = toErrorResponse(new WrongExpectedVersionError('case-1', 3), 'c-1', {
      ifMatch: true,
    });
    expect([body.statusCode, body.code]).toEqual([412, 'STREAM.PRECONDITION_FAILED']);
  });

  it('maps a reused idempotency key to 422', () => {
    const { body } = toErrorResponse(new IdempotencyKeyReusedError('k-1'), 'c-1');
    expect([body.statusCode, body.code]).toEqual([422, 'IDEMPOTENCY.KEY_REUSED']);
  });

  it('answers 503 with Retry-After when the database is unreachable, not 500', () => {
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
    ]) {
      const response = toErrorResponse(error, 'c-1');
      expect([response.body.statusCode, response.body.code, response.headers]).toEqual([
        503,
        'DATABASE.UNAVAILABLE',
        { 'retry-after': '2' },
      ]);
    }
  });

  it('answers 500 without details for anything unexpected', () => {
    const { body } = toErrorResponse(new TypeError('x is undefined'), 'c-1');
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: expect.not.stringContaining('undefined'),
      correlationId: 'c-1',
    });
  });
});
