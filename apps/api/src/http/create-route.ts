import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandResult } from '#event-store';
import { ErrorDto } from './errors.js';
import { commandReply, type CommandReplyDto } from './replies.js';

/**
 * The documentation every route that creates a record shares (POST answers 201): its
 * summary, the optional Idempotency-Key, the reply and the 400. Other answers (409 …) are
 * added next to it.
 */
export const CreateRoute = (route: {
  summary: string;
  reply: Type;
  /** What a retry with the same key gets. */
  idempotency?: string;
  /** The 400's codes. */
  invalid?: string;
}) =>
  applyDecorators(
    ApiOperation({ summary: route.summary }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      ...(route.idempotency ? { description: route.idempotency } : {}),
    }),
    ApiCreatedResponse({ type: route.reply }),
    ApiBadRequestResponse({
      type: ErrorDto,
      ...(route.invalid ? { description: route.invalid } : {}),
    }),
  );

/** 201 with the new record's Location. */
export function created(reply: FastifyReply, location: string): void {
  void reply.status(201).header('location', location);
}

/** A create command's reply: 201, Location, then what every command answers. */
export function createdReply(
  reply: FastifyReply,
  location: string,
  id: string,
  result: CommandResult,
): CommandReplyDto {
  created(reply, location);
  return commandReply(reply, id, result);
}
