import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { VISIT_LEVELS } from '#domain';
import { PageDto } from '../../http/cursor.js';
import { CalendarDate, OptionalNotNull } from '../../http/validators.js';

export class ListVisitsDto extends PageDto {
  @ApiPropertyOptional() @OptionalNotNull() @Length(18, 40) @IsString() enterpriseId?: string;
  @ApiPropertyOptional({ description: 'Street code' })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  street?: string;
  @ApiPropertyOptional({ enum: VISIT_LEVELS })
  @OptionalNotNull()
  @IsIn(VISIT_LEVELS as unknown as string[], {
    message: `level must be one of ${VISIT_LEVELS.join(', ')}`,
  })
  level?: string;
  @ApiPropertyOptional({ example: '2026-11-01' })
  @OptionalNotNull()
  @CalendarDate('from')
  from?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Inclusive' })
  @OptionalNotNull()
  @CalendarDate('to')
  to?: string;
}
