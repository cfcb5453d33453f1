import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import {
  Command,
  CommandBus,
  CommandHandler,
  Query,
  QueryBus,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import {
  enterpriseDecider,
  enterpriseStreamId,
  EnterpriseErrors,
  normaliseCreditCode,
  notFound,
} from '#domain';
import {
  handleCommand,
  type CommandContext,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { EnterpriseView } from '#read-model';
import { ErrorDto } from '../http/errors.js';
import { IsCreditCode } from '../http/credit-code.validator.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';

export class RegisterEnterpriseDto {
  @ApiProperty({
    example: '91440300708461136T',
    description: 'Unified social credit code (GB 32100-2015); spaces and case are ignored',
  })
  @IsCreditCode()
  @IsString()
  creditCode!: string;

  @ApiProperty({ example: '深圳市坂田电子科技有限公司' })
  @Length(1, 200)
  @IsString()
  name!: string;

  @ApiProperty({ example: '坂田', description: 'The street (街道) the enterprise is in' })
  @Length(1, 50)
  @IsString()
  street!: string;
}

export class EnterpriseDto {
  @ApiProperty({ description: 'The credit code' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty() street!: string;
  @ApiProperty() registeredAt!: Date;
  @ApiProperty() version!: number;
}

export class RegisterEnterpriseCommand extends Command<CommandResult> {
  constructor(
    readonly data: RegisterEnterpriseDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterEnterpriseCommand)
export class RegisterEnterpriseHandler implements ICommandHandler<RegisterEnterpriseCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ data, context }: RegisterEnterpriseCommand): Promise<CommandResult> {
    return handleCommand(
      this.store,
      enterpriseDecider,
      enterpriseStreamId(normaliseCreditCode(data.creditCode)),
      { type: 'RegisterEnterprise', data, now: context.now },
      context,
    );
  }
}

export class GetEnterpriseQuery extends Query<EnterpriseView> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetEnterpriseQuery)
export class GetEnterpriseHandler implements IQueryHandler<GetEnterpriseQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id }: GetEnterpriseQuery): Promise<EnterpriseView> {
    const found = await this.dataSource
      .getRepository(EnterpriseView)
      .findOneBy({ id: normaliseCreditCode(id) });
    if (!found)
      throw notFound(
        EnterpriseErrors.notFound,
        `No enterprise is registered with credit code ${id}`,
      );
    return found;
  }
}

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
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the first result',
  })
  @ApiHeader({ name: 'X-Actor', required: false, description: 'Who acts (until accounts exist)' })
  @ApiCreatedResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'A field is missing or breaks a rule (e.g. a wrong check character)',
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
    const result = await this.commands.execute(
      new RegisterEnterpriseCommand(body, this.contexts.command(request)),
    );
    const id = normaliseCreditCode(body.creditCode);
    void reply.status(201).header('location', `/api/v1/enterprises/${id}`);
    return commandReply(reply, id, result);
  }

  @Get(':id')
  @ApiHeader({
    name: 'X-Consistent-With',
    required: false,
    description: 'A position from a command reply: wait until it is applied',
  })
  @ApiOkResponse({ type: EnterpriseDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(@Param('id') id: string, @Req() request: FastifyRequest): Promise<EnterpriseDto> {
    await this.consistency.await(request, ['enterprise_view']);
    return this.queries.execute(new GetEnterpriseQuery(id));
  }
}
