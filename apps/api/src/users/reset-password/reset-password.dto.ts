import { ApiProperty } from '@nestjs/swagger';
import { CommandReplyDto } from '../../http/replies.js';

export class PasswordResetDto extends CommandReplyDto {
  @ApiProperty({ description: 'Shown this once; the user must change it at the next login' })
  temporaryPassword!: string;
}
