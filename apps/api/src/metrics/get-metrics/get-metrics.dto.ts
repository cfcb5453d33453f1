import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min, Matches, ValidateIf } from 'class-validator';
import {
  METRIC_DIMENSIONS,
  type MetricCounters,
  type MetricDimension,
  type MetricRates,
  type ScoreWeights,
} from '#domain';
import { CalendarDate, OptionalNotNull } from '../../http/validators.js';
import { PERIODS, type Period, type PeriodKind } from '../periods.js';

const MIN_CASES_RULE = 'minCases must be a whole number from 0 to 100000';

export class MetricsQueryDto {
  @ApiPropertyOptional({ enum: METRIC_DIMENSIONS, default: 'lead_department' })
  @OptionalNotNull()
  @IsIn(METRIC_DIMENSIONS, { message: `dimension must be one of ${METRIC_DIMENSIONS.join(', ')}` })
  dimension?: MetricDimension;

  @ApiPropertyOptional({ enum: PERIODS, default: 'month' })
  @OptionalNotNull()
  @IsIn(PERIODS, { message: `period must be one of ${PERIODS.join(', ')}` })
  period?: PeriodKind;

  @ApiPropertyOptional({
    description: 'period=range: the first day (YYYY-MM-DD, Shenzhen), with to',
  })
  @ValidateIf((o: MetricsQueryDto) => o.period === 'range' || o.from !== undefined)
  @CalendarDate('from')
  from?: string;

  @ApiPropertyOptional({
    description: 'period=range: the last day, inclusive; at most 366 days after from',
  })
  @ValidateIf((o: MetricsQueryDto) => o.period === 'range' || o.to !== undefined)
  @CalendarDate('to')
  to?: string;

  @ApiPropertyOptional({ description: 'Any date in the period (default: today in Shenzhen)' })
  @OptionalNotNull()
  @CalendarDate('on')
  on?: string;

  @ApiPropertyOptional({
    description: 'Weights of 响应率, 解决率, 满意率 in the score, e.g. 30,35,35 (the default)',
  })
  @OptionalNotNull()
  @Matches(/^\d{1,3},\d{1,3},\d{1,3}$/, {
    message: 'weights must be three whole numbers, response,resolution,satisfaction, e.g. 30,35,35',
  })
  weights?: string;

  @ApiPropertyOptional({
    default: 5,
    description: 'Keys with fewer cases received are shown but not ranked',
  })
  @OptionalNotNull()
  @Transform(({ value }) =>
    typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
  )
  @Max(100_000, { message: MIN_CASES_RULE })
  @Min(0, { message: MIN_CASES_RULE })
  @IsInt({ message: MIN_CASES_RULE })
  minCases?: number;
}

class TimesDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Working minutes, to the histogram bucket',
  })
  median!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p90!: number | null;
}

class RatesDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '当日回应率: respondedOnTime / responseDue',
  })
  sameDayResponseRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '响应率: responded / responseDue' })
  responseRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '解决率: solved / resolutionDue' })
  resolutionRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'resolvedOnTime / resolutionDue' })
  onTimeResolutionRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '满意率: satisfied / callbacks' })
  satisfactionRate!: number | null;
}

/** The counters of one row, one field per domain counter (the compiler checks the list). */
export class MetricCountersDto implements MetricCounters {
  @ApiProperty() received!: number;
  @ApiProperty() responseDue!: number;
  @ApiProperty() responded!: number;
  @ApiProperty() respondedOnTime!: number;
  @ApiProperty() resolutionDue!: number;
  @ApiProperty() solved!: number;
  @ApiProperty() resolvedOnTime!: number;
  @ApiProperty() callbacks!: number;
  @ApiProperty() satisfied!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty() escalated!: number;
  @ApiProperty() returned!: number;
  @ApiProperty() transferred!: number;
  @ApiProperty() reopened!: number;
}

export class MetricsRowDto {
  @ApiProperty({
    description:
      'The dimension key: a department, street, category, channel or visit level code; "-" for cases with no key yet (no lead department: not dispatched, or returned), shown last and never ranked',
  })
  key!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({
    type: MetricCountersDto,
    description:
      'received: cases that arrived in the period. responseDue: answered or overdue for the same-day answer. responded / respondedOnTime: answered at all / by the same-day deadline. resolutionDue: resolved or overdue for resolution (withdrawn cases are not judged). solved: resolved as solved or partly solved. resolvedOnTime: resolved by the deadline. callbacks / satisfied: the latest callback, 满意 or 基本满意. overdue: missed a deadline. escalated: 督办 at least once. returned / transferred: per return or transfer, counted for the department that made it. reopened: reworks after an unsatisfied callback.',
  })
  counters!: MetricCounters;
  @ApiProperty({ type: RatesDto }) rates!: MetricRates;
  @ApiProperty({ type: TimesDto, description: 'Working time from intake to the first answer' })
  firstResponseTime!: TimesDto;
  @ApiProperty({
    type: TimesDto,
    description: 'Working time from intake to resolution, less time paused',
  })
  resolutionTime!: TimesDto;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Weighted score of 响应率, 解决率, 满意率, 0–100',
  })
  score!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'By score; null when not ranked' })
  rank!: number | null;
  @ApiProperty({ description: 'false: fewer cases than minCases' }) ranked!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'The score in the previous period' })
  previousScore!: number | null;
  @ApiProperty({ type: RatesDto, description: 'The rates in the previous period (trend)' })
  previousRates!: MetricRates;
}

export class PeriodDto {
  @ApiProperty({ enum: PERIODS }) kind!: PeriodKind;
  @ApiProperty({ example: '2026-11-01', description: 'The first day, inclusive' }) from!: string;
  @ApiProperty({ example: '2026-12-01', description: 'The day after the last, exclusive' })
  to!: string;
  @ApiProperty({ example: '2026-11' }) label!: string;
}

export class ScoreWeightsDto {
  @ApiProperty({ example: 30, description: '响应率 (response rate)' }) response!: number;
  @ApiProperty({ example: 35, description: '解决率 (resolution rate)' }) resolution!: number;
  @ApiProperty({ example: 35, description: '满意率 (satisfaction rate)' }) satisfaction!: number;
}

export class MetricsDto {
  @ApiProperty({ enum: METRIC_DIMENSIONS }) dimension!: MetricDimension;
  @ApiProperty({ type: PeriodDto }) period!: Period;
  @ApiProperty({ type: PeriodDto }) previousPeriod!: Period;
  @ApiProperty({ type: ScoreWeightsDto }) weights!: ScoreWeights;
  @ApiProperty() minCases!: number;
  @ApiProperty({ type: [MetricsRowDto] }) rows!: MetricsRowDto[];
}
