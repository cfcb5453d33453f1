import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { CommandReplyDto } from '../../http/replies.js';
import { AssignmentDto } from '../change-account/change-account.dto.js';

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

export class UserCreatedDto extends CommandReplyDto {
  @ApiProperty({ description: 'The account is addressed by its username (the id above)' })
  username!: string;
  @ApiProperty({ description: 'The user id events record as their actor' }) userId!: string;
  @ApiPropertyOptional({ description: 'Only when the request gave no password: shown this once' })
  temporaryPassword?: string;
}
