import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Length } from 'class-validator';
import { ENTERPRISE_TAGS } from '#domain';
import { OptionalNotNull } from '../../http/validators.js';
import { PageDto } from '../../http/cursor.js';

export class ListEnterprisesDto extends PageDto {
  @ApiPropertyOptional({ description: 'Street code' })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  street?: string;

  @ApiPropertyOptional({ enum: ENTERPRISE_TAGS })
  @OptionalNotNull()
  @IsIn(ENTERPRISE_TAGS as unknown as string[])
  tag?: string;

  @ApiPropertyOptional({ description: 'Part of the name or credit code' })
  @OptionalNotNull()
  @Length(1, 100)
  @IsString()
  q?: string;

  @ApiPropertyOptional({ default: false })
  @OptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeArchived must be true or false' })
  includeArchived?: boolean;
}
