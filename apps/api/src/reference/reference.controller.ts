import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { Can } from '../auth/policy.js';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REFERENCE_KINDS, type ReferenceKind } from '#domain';
import { ErrorDto, HttpProblem } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';

import { ChangeReferenceCommand } from './change-reference/change-reference.handler.js';
import { DefineReferenceDto } from './change-reference/define-reference.dto.js';
import { RenameReferenceDto } from './change-reference/rename-reference.dto.js';
import { ListReferenceQuery, ReferenceEntryDto } from './list-reference/list-reference.handler.js';

function kindOf(value: string): ReferenceKind {
  if ((REFERENCE_KINDS as readonly string[]).includes(value)) return value as ReferenceKind;
  throw new HttpProblem(
    400,
    'REQUEST.INVALID',
    `kind must be one of ${REFERENCE_KINDS.join(', ')}`,
    [{ field: 'kind', rule: 'isIn', message: `kind must be one of ${REFERENCE_KINDS.join(', ')}` }],
  );
}

@ApiTags('reference data')
@Controller('reference')
export class ReferenceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get()
  @Can('reference.read')
  @ApiOperation({
    summary:
      'The reference data: streets, departments and case categories (codes and Chinese names)',
  })
  @ApiOkResponse({
    type: [ReferenceEntryDto],
    description: 'Streets, departments and case categories, retired ones included',
  })
  async list(@Req() request: FastifyRequest): Promise<ReferenceEntryDto[]> {
    await this.consistency.await(request, ['reference_view']);
    return this.queries.execute(new ListReferenceQuery());
  }

  @Post(':kind')
  @Can('reference.manage')
  @ApiOperation({ summary: 'Define a street, department or case category (admin)' })
  @ApiParam({ name: 'kind', enum: REFERENCE_KINDS })
  @ApiCreatedResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'REFERENCE.ALREADY_DEFINED' })
  async define(
    @Param('kind') kind: string,
    @Body() body: DefineReferenceDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const command = {
      type: 'DefineReference' as const,
      data: { kind: kindOf(kind), code: body.code, name: body.name },
    };
    const result = await this.commands.execute(
      new ChangeReferenceCommand(command, this.contexts.command(request)),
    );
    void reply.status(201);
    return commandReply(reply, `${kind}/${body.code}`, result);
  }

  @Post(':kind/:code/retire')
  @Can('reference.manage')
  @ApiOperation({
    summary:
      'Retire a street, department or category: kept for history, refused for new records (admin)',
  })
  @HttpCode(200)
  @ApiParam({ name: 'kind', enum: REFERENCE_KINDS })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'REFERENCE.NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorDto, description: 'REFERENCE.ALREADY_RETIRED' })
  async retire(
    @Param('kind') kind: string,
    @Param('code') code: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const command = { type: 'RetireReference' as const, data: { kind: kindOf(kind), code } };
    const result = await this.commands.execute(
      new ChangeReferenceCommand(command, this.contexts.command(request)),
    );
    return commandReply(reply, `${kind}/${code}`, result);
  }

  @Put(':kind/:code/name')
  @Can('reference.manage')
  @ApiOperation({
    summary:
      'Rename a street, department or category (admin): the code stays, so every case, visit and figure that holds it shows the new name',
  })
  @ApiParam({ name: 'kind', enum: REFERENCE_KINDS })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'REFERENCE.INVALID_NAME' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'REFERENCE.NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorDto, description: 'REFERENCE.SAME_NAME' })
  async rename(
    @Param('kind') kind: string,
    @Param('code') code: string,
    @Body() body: RenameReferenceDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const command = {
      type: 'RenameReference' as const,
      data: { kind: kindOf(kind), code, name: body.name },
    };
    const result = await this.commands.execute(
      new ChangeReferenceCommand(command, this.contexts.command(request)),
    );
    return commandReply(reply, `${kind}/${code}`, result);
  }
}
