import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { Can } from '../auth/policy.js';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorDto } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { CalendarDate, Instant, OptionalNotNull } from '../http/validators.js';
import { Catalogues } from '../reference/catalogues.js';
import {
  CalendarNoticeDto,
  CalendarYearDto,
  CalendarYears,
  YearParam,
  YearPreviewDto,
  YearScheduleDto,
} from './calendar-year/calendar-year.js';
import { GetSlaSettingsQuery } from './get-sla-settings/get-sla-settings.handler.js';
import { SlaSettingsMessage } from './sla-settings-command.handler.js';

export class CalendarDayDto {
  @ApiProperty({ description: 'false: no office hours that day (a holiday, a typhoon day)' })
  @IsBoolean({ message: 'working must be true or false' })
  working!: boolean;

  @ApiProperty({ example: '台风停工' })
  @Length(1, 100)
  @IsString()
  name!: string;
}

export class DateParam {
  @ApiProperty({ description: 'The day, YYYY-MM-DD (Shenzhen)', example: '2026-10-08' })
  @CalendarDate('date')
  date!: string;
}

export class PolicySettingsDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 250,
    description: 'Resolution target in working days after the intake day',
  })
  @OptionalNotNull()
  @Max(250)
  @Min(1)
  @IsInt()
  resolutionWorkingDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 400,
    description: 'Interim update interval, working hours',
  })
  @OptionalNotNull()
  @Max(400)
  @Min(1)
  @IsInt()
  interimUpdateWorkingHours?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 80,
    description: 'Pre-breach warning, working hours before each deadline (0: none)',
  })
  @OptionalNotNull()
  @Max(80)
  @Min(0)
  @IsInt()
  warningWorkingHours?: number;

  @ApiPropertyOptional({ description: 'An overdue resolution orders 督办 automatically' })
  @OptionalNotNull()
  @IsBoolean()
  autoSuperviseOnOverdue?: boolean;
}

export class SetPolicyDto {
  @ApiProperty({ example: 'power_supply/urgent', description: 'category/priority; * for any' })
  @Length(3, 60)
  @IsString()
  key!: string;

  @ApiProperty({ type: PolicySettingsDto })
  @ValidateNested()
  @Type(() => PolicySettingsDto)
  @IsObject()
  policy!: PolicySettingsDto;

  @ApiProperty({
    example: '2026-12-01T00:00:00+08:00',
    description:
      'Applies to cases opened at or after this instant; earlier cases keep their promise',
  })
  @Instant('effectiveFrom')
  effectiveFrom!: string;
}

/** A policy in full, as a case is promised it. */
export class SlaPolicyDto {
  @ApiProperty({ enum: ['same_day'], description: 'By close of business on the intake day' })
  firstResponse!: 'same_day';
  @ApiProperty({ description: 'Interim update interval, working hours' })
  interimUpdateWorkingHours!: number;
  @ApiProperty({ description: 'Resolution target in working days after the intake day' })
  resolutionWorkingDays!: number;
  @ApiProperty({ description: 'Pre-breach warning, working hours before each deadline (0: none)' })
  warningWorkingHours!: number;
  @ApiProperty({ description: 'An overdue resolution orders 督办 automatically' })
  autoSuperviseOnOverdue!: boolean;
}

/** A policy change as it was set: for which cases, what, from when. */
export class SlaPolicyChangeDto {
  @ApiProperty({ example: 'power_supply/urgent', description: 'category/priority; * for any' })
  key!: string;
  @ApiProperty({ type: PolicySettingsDto }) policy!: PolicySettingsDto;
  @ApiProperty({ example: '2026-12-01T00:00:00+08:00' }) effectiveFrom!: string;
}

export class SlaSettingsDto {
  @ApiProperty({
    description: 'Office hours, local time (Asia/Shanghai)',
    example: ['09:00-12:00', '14:00-18:00'],
  })
  officeHours!: string[];
  @ApiProperty({
    description:
      'Years whose holidays are known: the holiday data (chinese-days) and whole years imported; one override day does not make a year known',
  })
  knownYears!: number[];
  @ApiProperty({ description: 'Years imported whole (PUT /sla/calendar/years/{year})' })
  importedYears!: number[];
  @ApiProperty({
    type: [CalendarNoticeDto],
    description:
      'This year and the next, when their holidays are not known: deadlines there are provisional',
  })
  calendarNotices!: CalendarNoticeDto[];
  @ApiProperty({ type: [CalendarDayDto], description: 'Admin overrides, by date' })
  calendarOverrides!: (CalendarDayDto & { date: string })[];
  @ApiProperty({ type: SlaPolicyDto, description: 'The built-in default policy' })
  defaultPolicy!: SlaPolicyDto;
  @ApiProperty({ type: [SlaPolicyChangeDto], description: 'Every policy change, in order' })
  policies!: SlaPolicyChangeDto[];
}
@Controller('sla')
export class SlaController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly catalogues: Catalogues,
    private readonly years: CalendarYears,
  ) {}

  @Get('calendar/years/:year')
  @Can('sla.read')
  @ApiOperation({
    summary:
      'One year of the working calendar: its holidays and make-up working days, and where they come from',
  })
  @ApiOkResponse({ type: CalendarYearDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  calendarYear(@Param() { year }: YearParam) {
    return this.years.year(year);
  }

  @Post('calendar/years/:year/preview')
  @Can('sla.manage')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Preview a whole year’s holiday schedule: which open cases’ deadlines would move',
    description:
      'A dry run of PUT /sla/calendar/years/{year} with the same body: validated the same way, nothing written. Lists the open cases whose first-response, interim-update or resolution deadline would move, with the old and new due instants.',
  })
  @ApiOkResponse({ type: YearPreviewDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description:
      'SLA.INVALID_YEAR, SLA.INVALID_SCHEDULE, SLA.INVALID_DATE, SLA.DATE_OUTSIDE_YEAR, SLA.DUPLICATE_DATE, SLA.INVALID_NAME',
  })
  previewYear(@Param() { year }: YearParam, @Body() body: YearScheduleDto) {
    return this.years.preview(year, body);
  }

  @Put('calendar/years/:year')
  @Can('sla.manage')
  @ApiOperation({
    summary: 'Import a whole year’s holiday schedule (the State Council’s notice) at once',
    description:
      'Holidays (days off) and make-up working days (调休), as dates or ranges. Replaces what the holiday data or an earlier import said of that year; single-day overrides stay on top. The year is then known, and every case deadline it moves is derived again, the metrics with it. Preview first with POST /sla/calendar/years/{year}/preview.',
  })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description:
      'SLA.INVALID_YEAR, SLA.INVALID_SCHEDULE, SLA.INVALID_DATE, SLA.DATE_OUTSIDE_YEAR, SLA.DUPLICATE_DATE, SLA.INVALID_NAME',
  })
  @ApiConflictResponse({ type: ErrorDto, description: 'SLA.UNCHANGED: imported so already' })
  async importYear(
    @Param() { year }: YearParam,
    @Body() body: YearScheduleDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.years.schedule(year, body);
    const result = await this.commands.execute(
      new SlaSettingsMessage(
        {
          type: 'ImportCalendarYear',
          data: { year, holidays: body.holidays, workdays: body.workdays },
        },
        this.contexts.command(request),
      ),
    );
    return commandReply(reply, String(year), result);
  }

  @Get()
  @Can('sla.read')
  @ApiOperation({ summary: 'The working calendar and SLA policies in force' })
  @ApiOkResponse({ type: SlaSettingsDto })
  settings() {
    return this.queries.execute(new GetSlaSettingsQuery());
  }

  @Put('calendar/:date')
  @Can('sla.manage')
  @ApiOperation({
    summary:
      'Override one day of the working calendar (a typhoon day, a closure, next year’s holidays)',
    description:
      'Deadlines of every case whose clocks cross that day are derived again, and the metrics with them.',
  })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'SLA.UNCHANGED' })
  async setDay(
    @Param() { date }: DateParam,
    @Body() body: CalendarDayDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new SlaSettingsMessage(
        { type: 'SetCalendarDay', data: { date, working: body.working, name: body.name } },
        this.contexts.command(request),
      ),
    );
    return commandReply(reply, date, result);
  }

  @Delete('calendar/:date')
  @Can('sla.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop an override: the day is again what the holiday data says' })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'SLA.NO_OVERRIDE' })
  async clearDay(
    @Param() { date }: DateParam,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new SlaSettingsMessage(
        { type: 'ClearCalendarDay', data: { date } },
        this.contexts.command(request),
      ),
    );
    return commandReply(reply, date, result);
  }

  @Post('policies')
  @Can('sla.manage')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set the SLA policy for a category and priority, from an instant on',
    description:
      'Keys: category/priority, category/*, */priority, */*; the most specific wins. Unset fields fall back to the less specific keys, then to the default.',
  })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'SLA.INVALID_KEY, SLA.UNKNOWN_CATEGORY, SLA.INVALID_POLICY',
  })
  async setPolicy(
    @Body() body: SetPolicyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new SlaSettingsMessage(
        {
          type: 'SetSlaPolicy',
          data: {
            key: body.key,
            policy: { ...body.policy },
            effectiveFrom: body.effectiveFrom,
            catalogue: await this.catalogues.current(),
          },
        },
        this.contexts.command(request),
      ),
    );
    return commandReply(reply, body.key, result);
  }
}
