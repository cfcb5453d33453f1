import { principalOf } from '../auth/access.guard.js';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query as QueryParams,
  Req,
  Res,
} from '@nestjs/common';
import { Can } from '../auth/policy.js';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normaliseCreditCode, type EnterpriseProfile } from '#domain';
import { createdReply, CreateRoute } from '../http/create-route.js';
import { ErrorDto } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';

import { ArchiveEnterpriseDto } from './archive-enterprise/archive-enterprise.dto.js';
import { Enterprise360Dto, EnterpriseListDto } from './enterprise.dto.js';
import { EnterpriseCommandMessage } from './enterprise-command.handler.js';
import { GetEnterpriseQuery } from './get-enterprise/get-enterprise.handler.js';
import { ListEnterprisesDto } from './list-enterprises/list-enterprises.dto.js';
import { ListEnterprisesQuery } from './list-enterprises/list-enterprises.handler.js';
import { RegisterEnterpriseDto } from './register-enterprise/register-enterprise.dto.js';
import { UpdateEnterpriseDto } from './update-enterprise/update-enterprise.dto.js';
/** The fields the client sent (undefined ones left out: absent means unchanged). */
const profileChanges = <T extends Partial<EnterpriseProfile>>(body: T) =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;

@ApiTags('enterprises')
@Controller('enterprises')
export class EnterprisesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @Can('enterprise.write')
  @CreateRoute({
    summary: 'Register an enterprise under its unified social credit code (GB 32100-2015)',
    reply: CommandReplyDto,
    idempotency: 'Retrying with the same key returns the first result',
    invalid: 'A field is missing or breaks a rule (a wrong check character, an unknown street)',
  })
  @ApiConflictResponse({
    type: ErrorDto,
    description:
      'ENTERPRISE.ALREADY_REGISTERED: the credit code is taken; details name the enterprise',
  })
  async register(
    @Body() body: RegisterEnterpriseDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = normaliseCreditCode(body.creditCode);
    const result = await this.commands.execute(
      new EnterpriseCommandMessage(
        id,
        { type: 'RegisterEnterprise', data: profileChanges(body) },
        this.contexts.command(request),
      ),
    );
    return createdReply(reply, `/api/v1/enterprises/${id}`, id, result);
  }

  @Patch(':id')
  @Can('enterprise.write')
  @ApiOperation({
    summary:
      "Update an enterprise's profile: name, street, building, cluster, tags, contactPerson, contactPhone",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag (version) you saw; a newer version answers 412',
  })
  @ApiPreconditionFailedResponse({
    type: ErrorDto,
    description: 'If-Match does not match the current version',
  })
  @ApiOkResponse({
    type: CommandReplyDto,
    description: 'Only the fields sent are changed; null clears an optional field',
  })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field, or ENTERPRISE.NO_CHANGE' })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'ENTERPRISE.ARCHIVED' })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateEnterpriseDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new EnterpriseCommandMessage(
        id,
        { type: 'UpdateEnterpriseProfile', data: { changes: profileChanges(body) } },
        this.contexts.command(request),
        this.contexts.expectedVersion(request),
      ),
    );
    return commandReply(reply, normaliseCreditCode(id), result);
  }

  @Post(':id/archive')
  @Can('enterprise.archive')
  @ApiOperation({ summary: 'Archive an enterprise: no new cases can be opened for it' })
  @HttpCode(200)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag (version) you saw; a newer version answers 412',
  })
  @ApiPreconditionFailedResponse({ type: ErrorDto })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'ENTERPRISE.ARCHIVED' })
  async archive(
    @Param('id') id: string,
    @Body() body: ArchiveEnterpriseDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new EnterpriseCommandMessage(
        id,
        { type: 'ArchiveEnterprise', data: { reason: body.reason } },
        this.contexts.command(request),
        this.contexts.expectedVersion(request),
      ),
    );
    return commandReply(reply, normaliseCreditCode(id), result);
  }

  @Get()
  @Can('enterprise.read')
  @ApiOperation({ summary: 'The enterprises, by name, filtered by street, tag or a name search' })
  @ApiOkResponse({ type: EnterpriseListDto, description: 'By name' })
  @ApiBadRequestResponse({ type: ErrorDto })
  async list(
    @QueryParams() query: ListEnterprisesDto,
    @Req() request: FastifyRequest,
  ): Promise<EnterpriseListDto> {
    await this.consistency.await(request, ['enterprise_view']);
    return this.queries.execute(new ListEnterprisesQuery(query));
  }

  @Get(':id')
  @Can('enterprise.read')
  @ApiOperation({
    summary: 'The enterprise 360: profile, visits, cases with outcomes and callback results',
  })
  @ApiHeader({
    name: 'X-Consistent-With',
    required: false,
    description: 'A position from a command reply: wait until it is applied',
  })
  @ApiOkResponse({
    type: Enterprise360Dto,
    description: 'Enterprise 360: profile, visits, cases and their outcomes, callback results',
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Enterprise360Dto> {
    await this.consistency.await(request, ['enterprise_view', 'case_view', 'visit_view']);
    const found = await this.queries.execute(new GetEnterpriseQuery(id, principalOf(request)));
    void reply.header('etag', `"${found.version}"`);
    return found;
  }
}
