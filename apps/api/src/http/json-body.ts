import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from './errors.js';

/**
 * The deepest nesting of arrays and objects a request body may have. No request of this
 * API nests deeper than a handful of levels; anything past this is refused before any
 * code walks the value recursively (JSON.parse, validation, class-transformer).
 */
export const JSON_MAX_DEPTH = 32;

/**
 * The nesting depth of a JSON text, without parsing it and without recursion, stopping as
 * soon as `limit` is passed (then it answers limit + 1). Brackets inside strings do not count.
 */
export function jsonDepth(text: string, limit = JSON_MAX_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return deepest;
}

export const tooDeep = () =>
  new HttpProblem(
    400,
    'REQUEST.TOO_DEEP',
    `The JSON body nests deeper than ${JSON_MAX_DEPTH} levels`,
    [
      {
        field: 'body',
        rule: 'maxDepth',
        message: `body must not nest arrays and objects deeper than ${JSON_MAX_DEPTH} levels`,
      },
    ],
  );

/**
 * The JSON body parser (for NestFastifyApplication.useBodyParser): measures the nesting
 * depth first (iteratively) and refuses a body past JSON_MAX_DEPTH with 400, then parses
 * with Fastify's own parser, which refuses __proto__ and constructor.prototype keys.
 */
export function depthLimitedJsonParser(fastify: FastifyInstance) {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (
    request: FastifyRequest,
    body: Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ): void => {
    const text = body.toString('utf8');
    if (jsonDepth(text) > JSON_MAX_DEPTH) {
      done(tooDeep());
      return;
    }
    parse(request, text, done);
  };
}
