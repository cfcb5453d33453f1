import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '#domain';

/** An account as the admin's screens show it (the user_account read model). */
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
