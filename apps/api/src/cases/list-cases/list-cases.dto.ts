import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { PageDto } from '../../http/cursor.js';
import { DateOrInstant, Instant, OptionalNotNull } from '../../http/validators.js';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { CaseDeadlinesDto, CaseQueuesDto } from '../deadlines.dto.js';
import {
  CASE_CHANNELS,
  CASE_OUTCOMES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  METRIC_DIMENSIONS,
  SATISFACTIONS,
  CASE_COUNTING_METRICS,
  type CaseCountingMetric,
} from '#domain';

/** The drill-down's `metric`: the metrics counters that count cases (the domain's list). */
export const CASE_METRICS = CASE_COUNTING_METRICS;
export type CaseMetric = CaseCountingMetric;

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

export class DispatchCaseDto {
  @ApiProperty({
    description: 'The lead department (主办), a department code',
    example: 'power_supply',
  })
  @Length(1, 40)
  @IsString()
  leadDepartment!: string;

  @ApiPropertyOptional({
    description: 'Co-handling departments (协办)',
    type: [String],
    example: ['industry_it'],
  })
  @OptionalNotNull()
  @Length(1, 40, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(10)
  @IsArray()
  coDepartments?: string[];
}

export class ReasonDto {
  @ApiProperty({ example: '不属于本单位职责' })
  @Length(1, 1000)
  @IsString()
  reason!: string;
}

export class TransferCaseDto extends ReasonDto {
  @ApiProperty({
    description: 'The department that takes the case over',
    example: 'development_reform',
  })
  @Length(1, 40)
  @IsString()
  toDepartment!: string;
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

export class ProgressDto {
  @ApiProperty({ example: '已现场勘查，协调供电局评估增容' })
  @Length(1, 4000)
  @IsString()
  note!: string;
}

export class ExtensionRequestDto extends ReasonDto {
  @ApiProperty({
    description: 'The new due date and time (ISO 8601)',
    example: '2026-12-31T18:00:00+08:00',
  })
  @Instant('requestedDueAt')
  requestedDueAt!: string;
}

export class ExtensionApprovalDto {
  @ApiPropertyOptional({ example: '同意延期' })
  @OptionalNotNull()
  @Length(1, 1000)
  @IsString()
  comment?: string;
}

export class ResolveCaseDto {
  @ApiProperty({ description: 'How it was resolved (办结)', example: '调整有序用电时段，夜班恢复' })
  @Length(1, 4000)
  @IsString()
  resolution!: string;

  @ApiProperty({
    enum: CASE_OUTCOMES,
    description: 'solved / partly solved / explained, cannot be solved',
  })
  @oneOf(CASE_OUTCOMES, 'outcome')
  outcome!: (typeof CASE_OUTCOMES)[number];
}

export class CallbackDto {
  @ApiProperty({
    enum: SATISFACTIONS,
    description: '满意 / 基本满意 / 不满意; unsatisfied sends the case back for rework',
  })
  @oneOf(SATISFACTIONS, 'satisfaction')
  satisfaction!: (typeof SATISFACTIONS)[number];

  @ApiProperty({ example: '问题已解决，感谢' })
  @Length(1, 2000)
  @IsString()
  comment!: string;
}

export class SupervisionDto {
  @ApiProperty({
    description: 'The leader’s instructions (督办)',
    example: '请三个工作日内办结并报送结果',
  })
  @Length(1, 2000)
  @IsString()
  instructions!: string;
}

export class CommentDto {
  @ApiProperty({ example: '企业来电询问进度' })
  @Length(1, 2000)
  @IsString()
  comment!: string;
}

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
      'Handled by us: cases the department (a handler’s own; for others, department=) led or co-handled and no longer does (returned, transferred). Read-only.',
  })
  @OptionalNotNull()
  @Transform(toBoolean)
  @IsIn([true], { message: 'handled must be true (leave it out for the current work)' })
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

export class TimelineEntryDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'CaseDispatched' }) type!: string;
  @ApiProperty({ description: "Who did it: a user id, or system:<worker> for Saolou's own" })
  actor!: string;
  @ApiPropertyOptional({ nullable: true, description: 'Their name when they did it' })
  actorName!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Their role when they did it' })
  actorRole!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Their department (handlers)' })
  actorDepartment!: string | null;
  @ApiProperty() occurredAt!: Date;
  @ApiProperty({ description: 'Position in the case stream' }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed' })
  data!: Record<string, unknown>;
}

export class CaseDto {
  @ApiProperty() id!: string;
  @ApiProperty() enterpriseId!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() street!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ enum: CASE_CHANNELS }) channel!: string;
  @ApiProperty({ enum: CASE_PRIORITIES }) priority!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: String }) visitId!: string | null;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String }) leadDepartment!: string | null;
  @ApiProperty({ type: [String] }) coDepartments!: string[];
  @ApiProperty() openedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) firstResponseAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) firstResponse!: string | null;
  @ApiProperty({ nullable: true, type: Date }) resolvedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) resolution!: string | null;
  @ApiProperty({ nullable: true, enum: CASE_OUTCOMES }) outcome!: string | null;
  @ApiProperty({ nullable: true, enum: SATISFACTIONS }) satisfaction!: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'Due date from an approved extension' })
  dueAt!: Date | null;
  @ApiProperty() extensionPending!: boolean;
  @ApiProperty() returnedCount!: number;
  @ApiProperty() transferredCount!: number;
  @ApiProperty() reworkedCount!: number;
  @ApiProperty() supervisedCount!: number;
  @ApiProperty() lastActivityAt!: Date;
  @ApiProperty({ description: 'Stream version; also the ETag' }) version!: number;
  @ApiProperty({
    type: [String],
    description: 'Every department that led or co-handled it at some point',
  })
  handledBy!: string[];
  @ApiProperty({
    type: CaseDeadlinesDto,
    description: 'Each clock’s deadline at the reply’s instant (asOf)',
  })
  deadlines!: CaseDeadlinesDto;
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

export class CaseCountsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { new: 3, accepted: 12 },
  })
  byStatus!: Record<string, number>;
  @ApiProperty() total!: number;
  @ApiProperty({
    type: CaseQueuesDto,
    description: 'Counts for the queue tabs, under the same scope and filters',
  })
  queues!: CaseQueuesDto;
}
