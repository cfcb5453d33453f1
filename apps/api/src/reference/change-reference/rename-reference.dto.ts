import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RenameReferenceDto {
  @ApiProperty({ example: '坂田街道', description: 'The new name (the code stays)' })
  @Length(1, 100)
  @IsString()
  name!: string;
}
