import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { entityIdFor, WrongExpectedVersionError } from '#event-store';
import { ErrorDto, HttpProblem } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { ChangeCaseCommand, OpenCaseCommand, type CaseChange } from './cases.commands.js';
import {
  AssignCaseDto,
  CaseDetailDto,
  CaseListDto,
  FirstResponseDto,
  ListCasesQueryDto,
  OpenCaseDto,
  ResolveCaseDto,
} from './cases.dto.js';
import { GetCaseQuery, ListCasesQuery } from './cases.queries.js';

const caseIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new HttpProblem(400, 'REQUEST.INVALID', 'id must be a UUID', [
      { field: 'id', rule: 'isUuid', message: 'id must be a UUID' },
    ]),
});

const CHANGE_HEADERS = [
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the first result',
  }),
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag (version) you saw; a newer version answers 412',
  }),
  ApiHeader({ name: 'X-Actor', required: false, description: 'Who acts (until accounts exist)' }),
  ApiOkResponse({ type: CommandReplyDto }),
  ApiBadRequestResponse({ type: ErrorDto }),
  ApiNotFoundResponse({ type: ErrorDto, description: 'CASE.NOT_FOUND' }),
  ApiConflictResponse({
    type: ErrorDto,
    description: 'The case is in a state that refuses this step (code and message say which)',
  }),
  ApiPreconditionFailedResponse({
    type: ErrorDto,
    description: 'If-Match does not match the current version',
  }),
];
const ChangeDocs = () => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  for (const decorate of CHANGE_HEADERS) decorate(target, key, descriptor);
};

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the same case',
  })
  @ApiHeader({ name: 'X-Actor', required: false })
  @ApiCreatedResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field, or ENTERPRISE.NOT_FOUND' })
  async open(
    @Body() body: OpenCaseDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = this.contexts.command(request);
    // A retried request (same Idempotency-Key) names the same case.
    const caseId = request.headers['idempotency-key']
      ? entityIdFor(context.commandId, 'case')
      : randomUUID();
    const result = await this.commands.execute(new OpenCaseCommand(caseId, body, context));
    void reply.status(201).header('location', `/api/v1/cases/${caseId}`);
    return commandReply(reply, caseId, result);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ChangeDocs()
  assign(
    @Param('id', caseIdPipe) id: string,
    @Body() body: AssignCaseDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.change(
      id,
      { type: 'AssignCase', data: { department: body.department } },
      req,
      reply,
    );
  }

  @Post(':id/first-response')
  @HttpCode(200)
  @ChangeDocs()
  respond(
    @Param('id', caseIdPipe) id: string,
    @Body() body: FirstResponseDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.change(
      id,
      { type: 'RecordFirstResponse', data: { message: body.message } },
      req,
      reply,
    );
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ChangeDocs()
  resolve(
    @Param('id', caseIdPipe) id: string,
    @Body() body: ResolveCaseDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.change(
      id,
      { type: 'ResolveCase', data: { resolution: body.resolution } },
      req,
      reply,
    );
  }

  @Get(':id')
  @ApiHeader({
    name: 'X-Consistent-With',
    required: false,
    description: 'A position from a command reply: wait until it is applied',
  })
  @ApiOkResponse({
    type: CaseDetailDto,
    description: 'The case and its timeline; ETag carries its version',
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'READ_MODEL.BEHIND: X-Consistent-With was not reached in time',
  })
  async get(
    @Param('id', caseIdPipe) id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.consistency.await(request, ['case_view', 'case_timeline']);
    const found = await this.queries.execute(new GetCaseQuery(id));
    void reply.header('etag', `"${found.version}"`);
    return found;
  }

  @Get()
  @ApiHeader({ name: 'X-Consistent-With', required: false })
  @ApiOkResponse({ type: CaseListDto, description: 'Newest first' })
  @ApiBadRequestResponse({ type: ErrorDto })
  async list(
    @Query() query: ListCasesQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<CaseListDto> {
    await this.consistency.await(request, ['case_view']);
    return this.queries.execute(new ListCasesQuery(query));
  }

  private async change(
    id: string,
    change: Pick<CaseChange, 'type' | 'data'>,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const expectedVersion = this.contexts.expectedVersion(request);
    try {
      const result = await this.commands.execute(
        new ChangeCaseCommand(id, change, this.contexts.command(request), expectedVersion),
      );
      return commandReply(reply, id, result);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && expectedVersion !== undefined) {
        throw new HttpProblem(
          412,
          'STREAM.PRECONDITION_FAILED',
          `The case is no longer at version ${expectedVersion}; reload it and try again`,
        );
      }
      throw error;
    }
  }
}
