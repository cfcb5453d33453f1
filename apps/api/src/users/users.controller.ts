import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
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
import { normaliseUsername } from '#domain';
import { Accounts } from '../auth/accounts.js';
import { Can } from '../auth/policy.js';
import { ErrorDto } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { AssignmentDto, DisableUserDto } from './change-account/change-account.dto.js';
import {
  ChangeAccountCommand,
  type AccountChange,
} from './change-account/change-account.handler.js';
import { CreateUserDto, UserCreatedDto } from './create-user/create-user.dto.js';
import { GetUserQuery } from './get-user/get-user.handler.js';
import { UserListFilterDto } from './list-users/list-users.dto.js';
import { ListUsersQuery } from './list-users/list-users.handler.js';
import { PasswordResetDto } from './reset-password/reset-password.dto.js';
import { UserDto, UserListDto } from './user.dto.js';
type Req = FastifyRequest;
type Rep = FastifyReply;

/** Account administration: admins only (see libs/domain/src/account/access.ts). */
@ApiTags('users')
@Controller('users')
@Can('user.manage')
export class UsersController {
  constructor(
    private readonly accounts: Accounts,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
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
    return this.queries.execute(new ListUsersQuery(filter));
  }

  @Get(':username')
  @ApiOperation({ summary: 'One account' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(@Param('username') raw: string, @Req() request: Req): Promise<UserDto> {
    await this.consistency.await(request, ['user_account']);
    return this.queries.execute(new GetUserQuery(raw));
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
        data: { role: body.role, department: body.department ?? null, street: body.street ?? null },
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
    return this.step(raw, { type: 'UnlockUser', data: {} }, q, r);
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
    return this.step(raw, { type: 'DisableUser', data: { reason: body.reason } }, q, r);
  }

  @Post(':username/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled account again' })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'ACCOUNT.NOT_DISABLED' })
  enable(@Param('username') raw: string, @Req() q: Req, @Res({ passthrough: true }) r: Rep) {
    return this.step(raw, { type: 'EnableUser', data: {} }, q, r);
  }

  private async step(raw: string, change: AccountChange, request: Req, reply: Rep) {
    const { username, result } = await this.commands.execute(
      new ChangeAccountCommand(raw, change, this.contexts.command(request)),
    );
    return commandReply(reply, username, result);
  }
}
