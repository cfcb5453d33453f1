import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Length, ValidateNested } from 'class-validator';
import { CASE_PRIORITIES, VISIT_LEVELS } from '#domain';
import { OptionalNotNull, RecentDate } from '../../http/validators.js';

export class ProblemDto {
  @ApiProperty({ example: 'industrial_space', description: 'A category code' })
  @Length(1, 40)
  @IsString()
  category!: string;

  @ApiProperty({ example: '扩产需要约3000平方米过渡厂房' })
  @Length(1, 4000)
  @IsString()
  description!: string;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES, default: 'normal' })
  @OptionalNotNull()
  @IsIn(CASE_PRIORITIES as unknown as string[], {
    message: `priority must be one of ${CASE_PRIORITIES.join(', ')}`,
  })
  priority?: (typeof CASE_PRIORITIES)[number];
}

export class LogVisitDto {
  @ApiProperty({ description: 'Credit code of the enterprise visited' })
  @Length(18, 40)
  @IsString()
  enterpriseId!: string;

  @ApiProperty({ example: '2026-11-20', description: 'The day of the visit (Shenzhen time)' })
  @RecentDate('visitedOn')
  visitedOn!: string;

  @ApiProperty({
    enum: VISIT_LEVELS,
    description: 'Who led it: a district leader, a department, or the street',
  })
  @IsIn(VISIT_LEVELS as unknown as string[], {
    message: `level must be one of ${VISIT_LEVELS.join(', ')}`,
  })
  level!: (typeof VISIT_LEVELS)[number];

  @ApiProperty({ type: [String], example: ['王科长'] })
  @Length(1, 50, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  officers!: string[];

  @ApiPropertyOptional({ type: [String], example: ['副区长'] })
  @OptionalNotNull()
  @Length(1, 50, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  leaders?: string[];

  @ApiProperty({ example: '了解企业扩产计划及用地需求' })
  @Length(1, 4000)
  @IsString()
  summary!: string;

  @ApiPropertyOptional({
    type: [ProblemDto],
    description: 'Each opens a case; none is fine — the visit still counts',
  })
  @OptionalNotNull()
  @ValidateNested({ each: true })
  @Type(() => ProblemDto)
  @ArrayMaxSize(20)
  @IsArray()
  problems?: ProblemDto[];
}
