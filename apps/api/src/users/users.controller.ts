import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource, Not } from 'typeorm';
import { normaliseUsername, notFound, AccountErrors, ROLES, type Role } from '#domain';
import { UserAccount } from '#read-model';
import { Accounts } from '../auth/accounts.js';
import { Can } from '../auth/policy.js';
import { ErrorDto, HttpProblem } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';

export class AssignmentDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'Required for handlers, refused for the others' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  department?: string;

  @ApiPropertyOptional({ description: 'Required for officers, refused for the others' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  street?: string;
}

export class CreateUserDto extends AssignmentDto {
  @ApiProperty({
    example: 'zhang.wei',
    description: '3–32 of a-z 0-9 . _ -, starting with a letter',
  })
  @Matches(/^[A-Za-z][A-Za-z0-9._-]{2,31}$/, {
    message:
      'username must be 3 to 32 characters of a-z, 0-9, ".", "_" or "-", starting with a letter (a Chinese name such as 张伟 goes in displayName)',
  })
  @IsString()
  username!: string;

  @ApiProperty({ example: '张伟' })
  @IsString()
  @Length(1, 50)
  displayName!: string;

  @ApiPropertyOptional({
    format: 'password',
    description:
      'Omit it to have one generated and returned once. Either way the user must change it at first login.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  password?: string;
}

/** Why an admin disables an account (a name of its own: OpenAPI schemas are global). */
export class DisableUserDto {
  @ApiProperty({ example: '已调离岗位' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class UserListFilterDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiPropertyOptional({ nullable: true }) department!: string | null;
  @ApiPropertyOptional({ nullable: true }) street!: string | null;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty({ description: 'Failed logins in a row' }) failures!: number;
  @ApiPropertyOptional({ nullable: true }) lockedUntil!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true }) lastLoginAt!: Date | null;
  @ApiProperty() version!: number;
}

export class UserCreatedDto extends CommandReplyDto {
  @ApiProperty({ description: 'The account is addressed by its username (the id above)' })
  username!: string;
  @ApiProperty({ description: 'The user id events record as their actor' }) userId!: string;
  @ApiPropertyOptional({ description: 'Only when the request gave no password: shown this once' })
  temporaryPassword?: string;
}

export class PasswordResetDto extends CommandReplyDto {
  @ApiProperty({ description: 'Shown this once; the user must change it at the next login' })
  temporaryPassword!: string;
}

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
  @ApiOperation({ summary: 'Accounts, by username' })
  @ApiOkResponse({ type: [UserDto] })
  async list(@Query() filter: UserListFilterDto, @Req() request: Req): Promise<UserDto[]> {
    await this.consistency.await(request, ['user_account']);
    return this.dataSource.getRepository(UserAccount).find({
      where: {
        ...(filter.role ? { role: filter.role } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      order: { username: 'ASC' },
    });
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
