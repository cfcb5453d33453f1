import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { ROLES } from '#domain';
import { ErrorDto } from '../http/errors.js';
import { correlationIdOf, RequestContexts } from '../http/request-context.js';
import { principalOf } from './access.guard.js';
import { Accounts } from './accounts.js';
import { Can, Public } from './policy.js';
import { Sessions } from './sessions.js';

export class LoginDto {
  @ApiProperty({ example: 'dispatcher' })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, 128)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refreshToken from the login or the last refresh' })
  @IsString()
  @Length(10, 200)
  refreshToken!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(128)
  currentPassword!: string;

  @ApiProperty({
    format: 'password',
    description: '12 to 128 characters, letters and digits, not containing the username',
  })
  @IsString()
  @MaxLength(128)
  newPassword!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT (HS256); send as "Authorization: Bearer <token>"' })
  accessToken!: string;
  @ApiProperty({ example: 900, description: 'Seconds the access token lives' })
  expiresIn!: number;
  @ApiProperty({
    description:
      'Exchange at POST /auth/refresh for a new pair; each use rotates it, and reusing an old one ends the session',
  })
  refreshToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: string;
}

export class LoginReplyDto extends TokenPairDto {
  @ApiProperty({
    description: 'An admin set the password: only POST /auth/password is allowed until it changes',
  })
  mustChangePassword!: boolean;
}

export class MeDto {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) department!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) street!: string | null;
  @ApiProperty() mustChangePassword!: boolean;
}

const clientOf = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'],
});

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: Accounts,
    private readonly sessions: Sessions,
    private readonly contexts: RequestContexts,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Log in with username and password: an access and a refresh token' })
  @ApiOkResponse({ type: LoginReplyDto })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: 'AUTH.INVALID_CREDENTIALS' })
  @ApiForbiddenResponse({ type: ErrorDto, description: 'ACCOUNT.DISABLED' })
  @ApiTooManyRequestsResponse({ type: ErrorDto, description: 'REQUEST.RATE_LIMITED' })
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<LoginReplyDto> {
    return this.accounts.login(
      body.username,
      body.password,
      clientOf(request),
      correlationIdOf(request),
    );
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'A new token pair for a refresh token (which is then used up)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    type: ErrorDto,
    description: 'AUTH.SESSION_ENDED, AUTH.REFRESH_REUSED',
  })
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.accounts.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Can('self')
  @ApiOperation({ summary: "End this token's session: its access and refresh tokens stop working" })
  async logout(@Req() request: FastifyRequest): Promise<void> {
    await this.sessions.revoke(principalOf(request).sessionId, 'logout');
  }

  @Get('me')
  @Can('self')
  @ApiOperation({ summary: 'Who the access token belongs to' })
  @ApiOkResponse({ type: MeDto })
  me(@Req() request: FastifyRequest): MeDto {
    const { sessionId: _session, ...me } = principalOf(request);
    return me;
  }

  @Post('password')
  @HttpCode(200)
  @Can('self')
  @ApiOperation({
    summary: 'Change your own password: every session ends, and the reply starts a new one',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'AUTH.WRONG_PASSWORD, ACCOUNT.WEAK_PASSWORD',
  })
  @ApiTooManyRequestsResponse({ type: ErrorDto })
  changePassword(
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<TokenPairDto> {
    return this.accounts.changeOwnPassword(
      principalOf(request),
      body.currentPassword,
      body.newPassword,
      this.contexts.command(request),
    );
  }
}
