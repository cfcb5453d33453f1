import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ROLES, type Role } from '#domain';
import { PageDto } from '../http/cursor.js';
import { CommandReplyDto } from '../http/replies.js';
import { OptionalNotNull } from '../http/validators.js';

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

export class UserListFilterDto extends PageDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';

  @ApiPropertyOptional({ description: 'Part of the username or the display name' })
  @OptionalNotNull()
  @Length(1, 100)
  @IsString()
  q?: string;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) department!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) street!: string | null;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty({ description: 'Failed logins in a row' }) failures!: number;
  @ApiPropertyOptional({ nullable: true, type: Date }) lockedUntil!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastLoginAt!: Date | null;
  @ApiProperty() version!: number;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
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
