import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ROLES, type Role } from '#domain';

/** A user's role with the department (handlers) or street (officers) it needs. */
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

/** Why an admin disables an account (a name of its own: OpenAPI schemas are global). */
export class DisableUserDto {
  @ApiProperty({ example: '已调离岗位' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}
