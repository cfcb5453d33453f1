import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource, Not } from 'typeorm';
import { normaliseUsername, notFound, AccountErrors } from '#domain';
import { containing, UserAccount } from '#read-model';
import { Accounts } from '../auth/accounts.js';
import { Can } from '../auth/policy.js';
import { CursorValue, decodeCursor, toPage } from '../http/cursor.js';
import { ErrorDto, HttpProblem } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import {
  AssignmentDto,
  CreateUserDto,
  DisableUserDto,
  PasswordResetDto,
  UserCreatedDto,
  UserDto,
  UserListDto,
  UserListFilterDto,
} from './users.dto.js';
type Req = FastifyRequest;
type Rep = FastifyReply;

/** Account administration: admins only (see libs/domain/src/account/access.ts). */
@ApiTags('users')
@Controller('users')
@Can('user.manage')
export class UsersController {
  constructor(
    private readonly accounts: Accounts,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an account with a role, and a department or street' })
  @ApiCreatedResponse({ type: UserCreatedDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description:
      'ACCOUNT.INVALID_USERNAME, ACCOUNT.WEAK_PASSWORD, ACCOUNT.INVALID_ASSIGNMENT, ACCOUNT.UNKNOWN_*',
  })
  @ApiConflictResponse({ type: ErrorDto, description: 'ACCOUNT.ALREADY_EXISTS' })
  async create(
    @Body() body: CreateUserDto,
    @Req() request: Req,
    @Res({ passthrough: true }) reply: Rep,
  ): Promise<UserCreatedDto> {
    const { userId, result, temporaryPassword } = await this.accounts.create(
      body,
      this.contexts.command(request),
    );
    const username = normaliseUsername(body.username);
    void reply.status(201).header('location', `/api/v1/users/${username}`);
    return {
      ...commandReply(reply, username, result),
      username,
      userId,
      ...(temporaryPassword ? { temporaryPassword } : {}),
    };
  }

  @Get()
  @ApiOperation({ summary: 'Accounts, by username, in cursor pages' })
  @ApiOkResponse({ type: UserListDto })
  async list(@Query() filter: UserListFilterDto, @Req() request: Req): Promise<UserListDto> {
    await this.consistency.await(request, ['user_account']);
    const limit = filter.limit ?? 50;
    const query = this.dataSource.getRepository(UserAccount).createQueryBuilder('u');
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.status) query.andWhere('u.status = :status', { status: filter.status });
    if (filter.q) {
      query.andWhere(`(u.username ILIKE :q ESCAPE '\\' OR u.display_name ILIKE :q ESCAPE '\\')`, {
        q: containing(filter.q),
      });
    }
    if (filter.cursor) {
      const [username] = decodeCursor(filter.cursor, [CursorValue.text]);
      query.andWhere('u.username > :username', { username });
    }
    const rows = await query
      .orderBy('u.username', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.username]);
  }

  @Get(':username')
  @ApiOperation({ summary: 'One account' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(@Param('username') raw: string, @Req() request: Req): Promise<UserDto> {
    await this.consistency.await(request, ['user_account']);
    const found = await this.dataSource
      .getRepository(UserAccount)
      .findOneBy({ username: normaliseUsername(raw) });
    if (!found) throw notFound(AccountErrors.notFound, `No user ${raw}`);
    return found;
  }

  @Put(':username/assignment')
  @HttpCode(200)
  @ApiOperation({ summary: "Change a user's role, department or street: their sessions end" })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async assign(
    @Param('username') raw: string,
    @Body() body: AssignmentDto,
    @Req() request: Req,
    @Res({ passthrough: true }) reply: Rep,
  ) {
    return this.step(
      raw,
      {
        type: 'ChangeAssignment',
        role: body.role,
        department: body.department ?? null,
        street: body.street ?? null,
      },
      request,
      reply,
    );
  }

  @Post(':username/password-reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a user a new generated password (shown once); sessions end' })
  @ApiOkResponse({ type: PasswordResetDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async resetPassword(
    @Param('username') raw: string,
    @Req() request: Req,
    @Res({ passthrough: true }) reply: Rep,
  ): Promise<PasswordResetDto> {
    const username = normaliseUsername(raw);
    const { result, temporaryPassword } = await this.accounts.resetPassword(
      username,
      this.contexts.command(request),
    );
    return { ...commandReply(reply, username, result), temporaryPassword };
  }

  @Post(':username/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a lock after failed logins' })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'ACCOUNT.NOT_LOCKED' })
  unlock(@Param('username') raw: string, @Req() q: Req, @Res({ passthrough: true }) r: Rep) {
    return this.step(raw, { type: 'UnlockUser' }, q, r);
  }

  @Post(':username/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an account: its sessions end and it cannot log in' })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'ACCOUNT.ALREADY_DISABLED' })
  disable(
    @Param('username') raw: string,
    @Body() body: DisableUserDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(raw, { type: 'DisableUser', reason: body.reason }, q, r);
  }

  @Post(':username/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled account again' })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'ACCOUNT.NOT_DISABLED' })
  enable(@Param('username') raw: string, @Req() q: Req, @Res({ passthrough: true }) r: Rep) {
    return this.step(raw, { type: 'EnableUser' }, q, r);
  }

  /** Whether this account is the only active admin (no one could manage accounts after it). */
  private async isLastAdmin(username: string): Promise<boolean> {
    const state = await this.accounts.state(username);
    if (state.status !== 'active' || state.role !== 'admin') return false;
    const others = await this.dataSource
      .getRepository(UserAccount)
      .countBy({ role: 'admin', status: 'active', username: Not(username) });
    return others === 0;
  }

  private async step(
    raw: string,
    {
      type,
      ...data
    }: { type: 'ChangeAssignment' | 'UnlockUser' | 'DisableUser' | 'EnableUser' } & Record<
      string,
      unknown
    >,
    request: Req,
    reply: Rep,
  ) {
    const username = normaliseUsername(raw);
    if (type === 'ChangeAssignment') data.catalogue = await this.accounts.catalogue();
    if (
      (type === 'DisableUser' || (type === 'ChangeAssignment' && data.role !== 'admin')) &&
      (await this.isLastAdmin(username))
    ) {
      throw new HttpProblem(
        409,
        'ACCOUNT.LAST_ADMIN',
        `${username} is the last active admin: make another admin first`,
      );
    }
    const result = await this.accounts.run(
      username,
      { type, data } as never,
      this.contexts.command(request),
    );
    return commandReply(reply, username, result);
  }
}
