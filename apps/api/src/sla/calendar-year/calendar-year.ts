import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DataSource } from 'typeorm';
import {
  calendarWithOverrides,
  caseClock,
  caseDeadlines,
  IMPORT_YEARS,
  shenzhenMidnight,
  slaTableAt,
  yearScheduleDays,
  type CaseDeadlines,
  type CaseEvent,
  type SlaPolicyChange,
  type WorkingCalendar,
} from '#domain';
import { baseCalendar } from '#read-model';
import { OptionalNotNull } from '../../http/validators.js';
import { HttpProblem } from '../../http/errors.js';
import { SlaSettingsCache } from '../../infrastructure/sla-settings.js';
import { CLOCK, type Clock } from '../../infrastructure/tokens.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class YearScheduleEntryDto {
  @ApiProperty({ example: '春节' })
  @Length(1, 100)
  @IsString()
  name!: string;

  @ApiPropertyOptional({ type: [String], example: ['2027-06-09'], description: 'Dates, or:' })
  @OptionalNotNull()
  @Matches(DATE, { each: true, message: 'each of dates must be a date, YYYY-MM-DD' })
  @ArrayMaxSize(31)
  @IsArray()
  dates?: string[];

  @ApiPropertyOptional({ example: '2027-02-05', description: 'First day of a range (inclusive)' })
  @OptionalNotNull()
  @Matches(DATE, { message: 'from must be a date, YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2027-02-13', description: 'Last day of a range (inclusive)' })
  @OptionalNotNull()
  @Matches(DATE, { message: 'to must be a date, YYYY-MM-DD' })
  to?: string;
}

export class YearScheduleDto {
  @ApiPropertyOptional({
    example: 2027,
    description: 'The year again (as in the sample file); must match the path',
  })
  @OptionalNotNull()
  @IsInt({ message: 'year must be a whole number' })
  year?: number;

  @ApiProperty({
    type: [YearScheduleEntryDto],
    description:
      'Public holidays (放假): every day off, weekends inside a holiday included, as dates or ranges',
  })
  @ValidateNested({ each: true })
  @Type(() => YearScheduleEntryDto)
  @ArrayMaxSize(40)
  @IsArray()
  holidays!: YearScheduleEntryDto[];

  @ApiProperty({
    type: [YearScheduleEntryDto],
    description: 'Make-up working days (调休上班): Saturdays or Sundays that are worked',
  })
  @ValidateNested({ each: true })
  @Type(() => YearScheduleEntryDto)
  @ArrayMaxSize(40)
  @IsArray()
  workdays!: YearScheduleEntryDto[];
}

export class YearParam {
  @ApiProperty({
    description: 'The year, four digits',
    example: 2027,
    minimum: IMPORT_YEARS[0],
    maximum: IMPORT_YEARS[1],
  })
  @Transform(({ value }) =>
    typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : value,
  )
  @Max(IMPORT_YEARS[1], { message: `year must be from ${IMPORT_YEARS[0]} to ${IMPORT_YEARS[1]}` })
  @Min(IMPORT_YEARS[0], { message: `year must be from ${IMPORT_YEARS[0]} to ${IMPORT_YEARS[1]}` })
  @IsInt({ message: 'year must be a four-digit year, such as 2027' })
  year!: number;
}

export class DeadlineMoveDto {
  @ApiProperty({ enum: ['firstResponse', 'interimUpdate', 'resolution'] }) clock!: string;
  @ApiProperty({ nullable: true, type: String }) oldDueAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) newDueAt!: string | null;
  @ApiProperty() oldState!: string;
  @ApiProperty() newState!: string;
}

export class AffectedCaseDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: String }) leadDepartment!: string | null;
  @ApiProperty({ type: [DeadlineMoveDto] }) changes!: DeadlineMoveDto[];
}

export class YearPreviewDto {
  @ApiProperty() year!: number;
  @ApiProperty({ description: 'Days off in the schedule' }) holidays!: number;
  @ApiProperty({ description: 'Make-up working days in the schedule' }) workdays!: number;
  @ApiProperty({ description: 'Whether the year is known before the import' })
  knownBefore!: boolean;
  @ApiProperty({ description: 'When the preview was computed' }) asOf!: string;
  @ApiProperty({ description: 'Open cases whose deadlines would move' }) affectedCases!: number;
  @ApiProperty({ type: [AffectedCaseDto], description: 'The first 500 of them, by id' })
  cases!: AffectedCaseDto[];
  @ApiProperty() truncated!: boolean;
}

export class CalendarDayEntryDto {
  @ApiProperty({ example: '2027-02-20' }) date!: string;
  @ApiProperty() working!: boolean;
  @ApiProperty({ example: '春节调休' }) name!: string;
}

export class CalendarYearDto {
  @ApiProperty() year!: number;
  @ApiProperty({ description: 'Whether its holidays are known' }) known!: boolean;
  @ApiProperty({
    enum: ['imported', 'holiday-data', 'weekdays'],
    description:
      'Where its days come from: an import, the chinese-days package, or Monday–Friday only',
  })
  source!: 'imported' | 'holiday-data' | 'weekdays';
  @ApiProperty({ type: [CalendarDayEntryDto], description: 'Holidays and make-up working days' })
  days!: CalendarDayEntryDto[];
  @ApiProperty({ type: [CalendarDayEntryDto], description: 'Single-day overrides on top' })
  overrides!: CalendarDayEntryDto[];
}

export class CalendarNoticeDto {
  @ApiProperty() year!: number;
  @ApiProperty({ example: false }) known!: boolean;
  @ApiProperty({ description: 'What it means, in Chinese' }) message!: string;
  @ApiProperty({ description: 'The same in English' }) messageEn!: string;
}

const OPEN = ['new', 'dispatched', 'accepted', 'returned', 'paused'];
const CLOCKS = ['firstResponse', 'interimUpdate', 'resolution'] as const;
const PREVIEW_LIMIT = 500;

/** What an unknown year means for the deadlines that fall in it, in Chinese and English. */
export function calendarNotice(year: number): CalendarNoticeDto {
  return {
    year,
    known: false,
    message: `${year} 年的节假日安排尚未导入：落在该年的时限暂按周一至周五计算，仅供参考。请管理员导入国务院办公厅公布的全年放假安排（PUT /api/v1/sla/calendar/years/${year}）。`,
    messageEn: `The ${year} holiday schedule has not been imported: deadlines falling in ${year} are counted Monday to Friday and are provisional. An admin imports the State Council's schedule with PUT /api/v1/sla/calendar/years/${year}.`,
  };
}

/**
 * The whole-year import's preview (a dry run: which open cases' deadlines would move, and
 * how) and the notices for years not known yet.
 */
@Injectable()
export class CalendarYears {
  constructor(
    private readonly dataSource: DataSource,
    private readonly slaSettings: SlaSettingsCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The body's days, validated as the import will be; a year in the body must match the path. */
  schedule(year: number, body: YearScheduleDto) {
    if (body.year !== undefined && body.year !== year)
      throw new HttpProblem(
        400,
        'SLA.INVALID_YEAR',
        `year ${body.year} does not match the path (${year})`,
        [{ field: 'year', rule: 'matchesPath', message: `must be ${year}, as in the path` }],
      );
    return yearScheduleDays(year, body.holidays, body.workdays);
  }

  /** The years around now (this one and the next) whose holidays are not known. */
  async notices(calendar?: WorkingCalendar): Promise<CalendarNoticeDto[]> {
    const cal = calendar ?? (await this.slaSettings.current()).calendar;
    const year = Number(cal.dateOf(this.clock.now()).slice(0, 4));
    return [year, year + 1].filter((y) => !cal.years.includes(y)).map(calendarNotice);
  }

  /** A year as the calendar has it: its days, where they come from, the overrides on top. */
  async year(year: number): Promise<CalendarYearDto> {
    const settings = await this.slaSettings.current();
    const imported = settings.years.get(year);
    const base = baseCalendar();
    return {
      year,
      known: settings.calendar.years.includes(year),
      source: imported ? 'imported' : base.years.includes(year) ? 'holiday-data' : 'weekdays',
      days: imported ? [...imported] : base.daysOf(year),
      overrides: [...settings.days.values()]
        .filter((d) => d.date.startsWith(`${year}-`))
        .sort((a, b) => a.date.localeCompare(b.date)),
    };
  }

  async preview(year: number, body: YearScheduleDto): Promise<YearPreviewDto> {
    const days = this.schedule(year, body);
    const settings = await this.slaSettings.current();
    const years = new Map(settings.years);
    years.set(year, days);
    const after = calendarWithOverrides(baseCalendar(), settings.days.values(), years);
    const now = this.clock.now();
    const start = shenzhenMidnight(`${year}-01-01`);
    const end = shenzhenMidnight(`${year + 1}-01-01`);
    // Open cases whose clocks can reach into the year (a paused one's deadline keeps moving).
    const rows = (await this.dataSource.query(
      `SELECT s.case_id, s.facts->'history' AS history, c.enterprise_name, c.status, c.lead_department
       FROM case_sla s JOIN case_view c ON c.id::text = s.case_id
       WHERE s.status = ANY($1) AND s.opened_at < $2
         AND (s.paused OR GREATEST(s.first_response_due_at, s.resolution_due_at, s.interim_update_due_at) >= $3)
       ORDER BY s.case_id`,
      [OPEN, end, start],
    )) as {
      case_id: string;
      history: CaseEvent[];
      enterprise_name: string;
      status: string;
      lead_department: string | null;
    }[];
    const affected: AffectedCaseDto[] = [];
    for (const row of rows) {
      const before = deadlinesOf(row.history, settings.policies, settings.calendar, now);
      const moved = deadlinesOf(row.history, settings.policies, after, now);
      const changes = CLOCKS.filter((c) => before[c].dueAt !== moved[c].dueAt).map((c) => ({
        clock: c,
        oldDueAt: before[c].dueAt,
        newDueAt: moved[c].dueAt,
        oldState: before[c].state,
        newState: moved[c].state,
      }));
      if (changes.length)
        affected.push({
          caseId: row.case_id,
          enterpriseName: row.enterprise_name,
          status: row.status,
          leadDepartment: row.lead_department,
          changes,
        });
    }
    return {
      year,
      holidays: days.filter((d) => !d.working).length,
      workdays: days.filter((d) => d.working).length,
      knownBefore: settings.calendar.years.includes(year),
      asOf: now.toISOString(),
      affectedCases: affected.length,
      cases: affected.slice(0, PREVIEW_LIMIT),
      truncated: affected.length > PREVIEW_LIMIT,
    };
  }
}

function deadlinesOf(
  history: CaseEvent[],
  policies: readonly SlaPolicyChange[],
  calendar: WorkingCalendar,
  now: Date,
): CaseDeadlines {
  const clock = caseClock(
    history,
    slaTableAt(policies, new Date(history[0]!.data.at)),
    calendar,
    now,
  );
  return caseDeadlines(clock, calendar, now);
}

/** The start-up log says which years around now have no holiday schedule yet. */
@Injectable()
export class CalendarStartupNotice implements OnApplicationBootstrap {
  private readonly logger = new Logger('Calendar');
  constructor(private readonly years: CalendarYears) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      for (const notice of await this.years.notices())
        this.logger.warn(`${notice.message} / ${notice.messageEn}`);
    } catch (error) {
      this.logger.warn(
        `calendar notice skipped: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
}
