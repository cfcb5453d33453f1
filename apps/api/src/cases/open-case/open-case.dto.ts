import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { CASE_CHANNELS, CASE_PRIORITIES } from '#domain';
import { OptionalNotNull } from '../../http/validators.js';

const oneOf = (values: readonly string[], field: string) =>
  IsIn(values as string[], { message: `${field} must be one of ${values.join(', ')}` });

export class OpenCaseDto {
  @ApiProperty({
    description: 'Credit code of a registered enterprise',
    example: '91440300708461136T',
  })
  @Length(18, 40)
  @IsString()
  enterpriseId!: string;

  @ApiProperty({ example: 'power_supply', description: 'A category code from GET /reference' })
  @Length(1, 40)
  @IsString()
  category!: string;

  @ApiProperty({ enum: CASE_CHANNELS, example: 'hotline' })
  @oneOf(CASE_CHANNELS, 'channel')
  channel!: (typeof CASE_CHANNELS)[number];

  @ApiPropertyOptional({ enum: CASE_PRIORITIES, default: 'normal' })
  @OptionalNotNull()
  @oneOf(CASE_PRIORITIES, 'priority')
  priority?: (typeof CASE_PRIORITIES)[number];

  @ApiProperty({ example: '有序用电方案影响二期产线夜班生产', maxLength: 4000 })
  @Length(1, 4000)
  @IsString()
  description!: string;
}
