import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Length } from 'class-validator';
import { CalendarDate, OptionalNotNull } from '../../http/validators.js';

export class CreateCampaignDto {
  @ApiProperty({ example: '坂田街道秋季扫楼行动' })
  @Length(1, 200)
  @IsString()
  name!: string;

  @ApiProperty({ example: '2026-10-01' })
  @CalendarDate('startsOn')
  startsOn!: string;

  @ApiProperty({ example: '2026-11-30', description: 'Inclusive' })
  @CalendarDate('endsOn')
  endsOn!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Target buildings or parks: every enterprise registered in them',
    example: ['天安云谷1栋'],
  })
  @OptionalNotNull()
  @Length(1, 100, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(500)
  @IsArray()
  buildings?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Target enterprises by credit code' })
  @OptionalNotNull()
  @Length(18, 40, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(5000)
  @IsArray()
  enterpriseIds?: string[];
}
