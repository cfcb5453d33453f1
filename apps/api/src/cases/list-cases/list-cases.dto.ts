import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import {
  CASE_CHANNELS,
  CASE_PRIORITIES,
  CASE_STATUSES,
  CASE_COUNTING_METRICS,
  METRIC_DIMENSIONS,
  type CaseCountingMetric,
} from '#domain';
import { PageDto } from '../../http/cursor.js';
import { DateOrInstant, OptionalNotNull } from '../../http/validators.js';

/** The drill-down's `metric`: the metrics counters that count cases (the domain's list). */
export const CASE_METRICS = CASE_COUNTING_METRICS;
export type CaseMetric = CaseCountingMetric;

const oneOf = (values: readonly string[], field: string) =>
  IsIn(values as string[], { message: `${field} must be one of ${values.join(', ')}` });

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
export const OVERDUE_FILTERS = ['firstResponse', 'interimUpdate', 'resolution', 'any'] as const;

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;

export class CaseFilterDto {
  @ApiPropertyOptional({
    description: 'One or more statuses, comma-separated',
    example: 'new,returned',
  })
  @OptionalNotNull()
  @Transform(toList)
  @IsIn(CASE_STATUSES as unknown as string[], {
    each: true,
    message: `status must be among ${CASE_STATUSES.join(', ')}`,
  })
  @IsArray()
  status?: string[];

  @ApiPropertyOptional({
    description: 'A department code: cases it leads or co-handles (see role)',
  })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  department?: string;

  @ApiPropertyOptional({
    enum: ['lead', 'co', 'any'],
    default: 'any',
    description: 'With department: as lead, as co-handler, or either',
  })
  @OptionalNotNull()
  @oneOf(['lead', 'co', 'any'], 'role')
  role?: 'lead' | 'co' | 'any';

  @ApiPropertyOptional({ description: 'Street code' })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  street?: string;

  @ApiPropertyOptional({ description: 'Category code' })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  category?: string;

  @ApiPropertyOptional({ enum: CASE_CHANNELS })
  @OptionalNotNull()
  @oneOf(CASE_CHANNELS, 'channel')
  channel?: string;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES })
  @OptionalNotNull()
  @oneOf(CASE_PRIORITIES, 'priority')
  priority?: string;

  @ApiPropertyOptional({ description: 'Opened at or after (ISO 8601)', example: '2026-11-01' })
  @OptionalNotNull()
  @DateOrInstant('openedFrom')
  openedFrom?: string;

  @ApiPropertyOptional({ description: 'Opened before (ISO 8601)', example: '2026-12-01' })
  @OptionalNotNull()
  @DateOrInstant('openedTo')
  openedTo?: string;

  @ApiPropertyOptional({ description: 'Words in the enterprise name or the description' })
  @OptionalNotNull()
  @Length(1, 100)
  @IsString()
  q?: string;

  @ApiPropertyOptional({ description: 'Only cases under supervision (督办)' })
  @OptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'supervised must be true or false' })
  supervised?: boolean;

  @ApiPropertyOptional({
    enum: CASE_METRICS,
    description:
      'Drill-down: only the cases a metrics counter counts, by the definitions of GET /metrics (MetricsRowDto.counters), as the clocks stand now. With openedFrom/openedTo as the metrics period (intake day in Shenzhen, to exclusive) and dimension/key as a metrics row, the total equals the figure.',
  })
  @OptionalNotNull()
  @oneOf(CASE_METRICS, 'metric')
  metric?: CaseMetric;

  @ApiPropertyOptional({
    enum: METRIC_DIMENSIONS,
    description:
      'Drill-down: with key, only the cases of one row of GET /metrics for that dimension (lead_department: the current lead department, "-" for undispatched cases)',
  })
  @OptionalNotNull()
  @oneOf(METRIC_DIMENSIONS, 'dimension')
  dimension?: (typeof METRIC_DIMENSIONS)[number];

  @ApiPropertyOptional({ description: 'The metrics row key for dimension (required with it)' })
  @ValidateIf((o: CaseFilterDto) => o.dimension !== undefined || o.key !== undefined)
  @Length(1, 40, {
    message: 'key must be a metrics row key (1–40 characters) when dimension is given',
  })
  @IsString({ message: 'key must be a metrics row key when dimension is given' })
  key?: string;

  @ApiPropertyOptional({
    enum: OVERDUE_FILTERS,
    description: 'Only cases whose clock is overdue now (any: one of the three)',
  })
  @OptionalNotNull()
  @oneOf(OVERDUE_FILTERS, 'overdue')
  overdue?: (typeof OVERDUE_FILTERS)[number];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 400,
    description:
      'Only cases with a running clock due within this many WORKING hours from now (not yet overdue); also the window of queues.dueSoon in /cases/counts (default 4)',
  })
  @OptionalNotNull()
  @Transform(({ value }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @Max(400, { message: 'dueWithinHours must be at most 400 (working hours)' })
  @Min(1, { message: 'dueWithinHours must be at least 1 (working hour)' })
  @IsInt({ message: 'dueWithinHours must be a whole number of working hours, such as 4' })
  dueWithinHours?: number;

  @ApiPropertyOptional({ description: 'Only paused cases (暂停, waiting for the enterprise)' })
  @OptionalNotNull()
  @Transform(toBoolean)
  @IsIn([true, false], { message: 'paused must be true or false' })
  paused?: boolean;

  @ApiPropertyOptional({
    description: 'Only cases whose extension request awaits a decision (the approval queue)',
  })
  @OptionalNotNull()
  @Transform(toBoolean)
  @IsIn([true, false], { message: 'extensionPending must be true or false' })
  extensionPending?: boolean;

  @ApiPropertyOptional({
    description:
      'true: handled by us — cases the department (a handler’s own; for others, department=) led or co-handled and no longer does (returned, transferred), read-only; false (as leaving it out): the current work.',
  })
  @OptionalNotNull()
  @Transform(toBoolean)
  @IsIn([true, false], { message: 'handled must be true or false' })
  handled?: boolean;
}

export const CASE_SORTS = ['newest', 'oldest', 'recent_activity', 'due'] as const;

export class ListCasesDto extends IntersectionType(CaseFilterDto, PageDto) {
  @ApiPropertyOptional({
    enum: CASE_SORTS,
    description:
      'due: the earliest running deadline first (overdue first), then id; the default for a handler, newest for others',
  })
  @OptionalNotNull()
  @oneOf(CASE_SORTS, 'sort')
  sort?: (typeof CASE_SORTS)[number];
}
