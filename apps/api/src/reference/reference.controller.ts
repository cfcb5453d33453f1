import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Logger,
  Param,
  Post,
  Req,
  Res,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Can } from '../auth/policy.js';
import {
  Command,
  CommandBus,
  CommandHandler,
  QueryBus,
  Query,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiProperty,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import {
  catalogueOf,
  LONGGANG_DEFAULTS,
  REFERENCE_KINDS,
  REFERENCE_STREAM_ID,
  referenceDecider,
  type Catalogue,
  type ReferenceCommand,
  type ReferenceKind,
} from '#domain';
import {
  handleCommand,
  readState,
  type CommandContext,
  type CommandRequest,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { ReferenceView } from '#read-model';
import { ErrorDto, HttpProblem } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { Invalidations } from '../infrastructure/invalidations.js';
import { CLOCK, EVENT_STORE, type Clock } from '../infrastructure/tokens.js';

/** Reads the district's reference data from its stream, for commands to be checked against. */
@Injectable()
export class Catalogues implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReferenceData');

  /** The catalogue, kept while the invalidation channel is up (a change anywhere drops it). */
  private cached: Promise<Catalogue> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly invalidations: Invalidations,
  ) {
    invalidations.on('reference', () => (this.cached = null));
  }

  async current(): Promise<Catalogue> {
    if (this.cached && this.invalidations.live) return this.cached;
    const live = this.invalidations.live;
    const reading = readState(this.store, referenceDecider, REFERENCE_STREAM_ID).then(({ state }) =>
      catalogueOf(state),
    );
    if (live) {
      this.cached = reading;
      reading.catch(() => {
        if (this.cached === reading) this.cached = null;
      });
    }
    return reading;
  }

  /** After a change to the reference stream: every process reads it afresh. */
  async changed(): Promise<void> {
    this.cached = null;
    await this.invalidations.publish('reference', '*');
  }

  /** A new installation gets Longgang's streets, departments and categories, through the commands. */
  async onApplicationBootstrap(): Promise<void> {
    const { version } = await this.store.readStream(REFERENCE_STREAM_ID);
    if (version >= 0) return;
    for (const kind of REFERENCE_KINDS) {
      for (const [code, name] of LONGGANG_DEFAULTS[kind]) {
        const now = this.clock.now();
        // Fixed command ids: two replicas starting at once define each entry once.
        await handleCommand(
          this.store,
          referenceDecider,
          REFERENCE_STREAM_ID,
          { type: 'DefineReference', data: { kind, code, name } },
          {
            commandId: `bootstrap:${kind}:${code}`,
            actor: 'system',
            correlationId: 'bootstrap',
            now,
          },
        );
      }
    }
    await this.changed();
    this.logger.log('defined the default Longgang streets, departments and categories');
  }
}

export class ChangeReferenceCommand extends Command<CommandResult> {
  constructor(
    readonly command: CommandRequest<ReferenceCommand>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeReferenceCommand)
export class ChangeReferenceHandler implements ICommandHandler<ChangeReferenceCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogues: Catalogues,
  ) {}

  async execute({ command, context }: ChangeReferenceCommand) {
    const result = await handleCommand(
      this.store,
      referenceDecider,
      REFERENCE_STREAM_ID,
      command,
      context,
    );
    if (result.position !== null) await this.catalogues.changed();
    return result;
  }
}

export class ReferenceEntryDto {
  @ApiProperty({ enum: REFERENCE_KINDS }) kind!: string;
  @ApiProperty({ example: 'bantian' }) code!: string;
  @ApiProperty({ example: '坂田' }) name!: string;
  @ApiProperty({ description: 'Retired entries stay for history but take no new use' })
  active!: boolean;
}

export class DefineReferenceDto {
  @ApiProperty({ example: 'pingshan', description: '2–40 lower-case letters, digits or _' })
  @Length(2, 40)
  @IsString()
  code!: string;

  @ApiProperty({ example: '坪山' })
  @Length(1, 100)
  @IsString()
  name!: string;
}

export class ListReferenceQuery extends Query<ReferenceEntryDto[]> {}

@QueryHandler(ListReferenceQuery)
export class ListReferenceHandler implements IQueryHandler<ListReferenceQuery> {
  constructor(private readonly dataSource: DataSource) {}
  execute() {
    return this.dataSource
      .getRepository(ReferenceView)
      .find({ order: { kind: 'ASC', code: 'ASC' } });
  }
}

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
}
