import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ROLES, type Role } from '#domain';
import { PageDto } from '../../http/cursor.js';
import { OptionalNotNull } from '../../http/validators.js';

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
