import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class DefineReferenceDto {
  @ApiProperty({ example: 'pingshan', description: '2–40 lower-case letters, digits or _' })
  @Length(2, 40)
  @IsString()
  code!: string;

  @ApiProperty({ example: '坪山' })
  @Length(1, 100)
  @IsString()
  name!: string;
}
