import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CASE_CATEGORIES, CASE_STATUSES } from '#domain';

export class OpenCaseDto {
  @ApiProperty({
    description: 'Credit code of a registered enterprise',
    example: '91440300708461136T',
  })
  @Length(18, 40)
  @IsString()
  enterpriseId!: string;

  @ApiProperty({ enum: CASE_CATEGORIES, example: 'power_supply' })
  @IsIn(CASE_CATEGORIES as unknown as string[], {
    message: `category must be one of ${CASE_CATEGORIES.join(', ')}`,
  })
  category!: string;

  @ApiProperty({ example: '有序用电方案影响二期产线夜班生产', maxLength: 4000 })
  @Length(1, 4000)
  @IsString()
  description!: string;
}

export class AssignCaseDto {
  @ApiProperty({ description: 'The lead department (主办)', example: '供电局' })
  @Length(1, 100)
  @IsString()
  department!: string;
}

export class FirstResponseDto {
  @ApiProperty({
    description: 'What the department told the enterprise (首次回应)',
    example: '已联系企业，明日上门核实',
  })
  @Length(1, 4000)
  @IsString()
  message!: string;
}

export class ResolveCaseDto {
  @ApiProperty({ description: 'How it was resolved (办结)', example: '调整有序用电时段，夜班恢复' })
  @Length(1, 4000)
  @IsString()
  resolution!: string;
}

export class ListCasesQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES as unknown as string[], {
    message: `status must be one of ${CASE_STATUSES.join(', ')}`,
  })
  status?: string;

  @ApiPropertyOptional({ description: 'Lead department' })
  @IsOptional()
  @Length(1, 100)
  @IsString()
  department?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, {
    message: 'cursor must be a nextCursor from a previous page',
  })
  cursor?: string;
}

export class TimelineEntryDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'CaseAssigned' }) type!: string;
  @ApiProperty({ description: 'Who did it' }) actor!: string;
  @ApiProperty() occurredAt!: Date;
  @ApiProperty({ description: 'Position in the case stream' }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class CaseDto {
  @ApiProperty() id!: string;
  @ApiProperty() enterpriseId!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() street!: string;
  @ApiProperty({ enum: CASE_CATEGORIES }) category!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String }) department!: string | null;
  @ApiProperty() openedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) assignedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) firstResponseAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) firstResponse!: string | null;
  @ApiProperty({ nullable: true, type: Date }) resolvedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) resolution!: string | null;
  @ApiProperty({ description: 'Stream version; also the ETag' }) version!: number;
}

export class CaseDetailDto extends CaseDto {
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
}

export class CaseListDto {
  @ApiProperty({ type: [CaseDto] }) items!: CaseDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last',
  })
  nextCursor!: string | null;
}
