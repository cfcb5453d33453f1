import { Controller, Get, Inject, Injectable, Query as QueryParams, Res } from '@nestjs/common';
import { Can } from '../auth/policy.js';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { DEFAULT_SCORE_WEIGHTS, shenzhenDate, shenzhenDateTime } from '#domain';
import type { EventStore } from '#event-store';
import { currentSlaSettings } from '#read-model';
import { OptionalNotNull } from '../http/validators.js';
import { CLOCK, EVENT_STORE, type Clock } from '../infrastructure/tokens.js';
import { GetMetricsHandler, GetMetricsQuery, periodOf } from '../metrics/metrics.js';

export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report as a table: a title, column headers and rows of plain values. */
export interface Report {
  name: string;
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

const STATUS_ZH: Record<string, string> = {
  new: '待派单',
  dispatched: '已派单',
  accepted: '办理中',
  returned: '已退单',
  paused: '暂停(等待企业)',
  resolved: '已办结',
  closed: '已销号',
  withdrawn: '已撤回',
};

const local = (d: Date | string | null) => (d === null ? null : shenzhenDateTime(d));
const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

@Injectable()
export class Reports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: GetMetricsHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * 一月一调度 台账: every case open at the report time, or overdue, that arrived by the end
   * of the month: department, working days open, status and the latest progress.
   */
  async monthlyLedger(month: string): Promise<Report> {
    const period = periodOf('month', `${month}-01`);
    const { calendar } = await currentSlaSettings(this.store);
    const now = this.clock.now();
    const rows = (await this.dataSource.query(
      `SELECT s.case_id, v.enterprise_name, v.street, v.category, v.lead_department,
              v.co_departments, s.status, s.opened_at, s.resolution_due_at, s.resolved_at,
              s.first_response_overdue OR s.resolution_overdue
                OR (s.resolved_at IS NULL AND s.resolution_due_at < $2) AS overdue,
              v.supervised_count, p.note, p.occurred_at AS noted_at
       FROM case_sla s
       JOIN case_view v ON v.id = s.case_id::uuid
       LEFT JOIN LATERAL (
         SELECT t.data->>'note' AS note, t.occurred_at FROM case_timeline t
         WHERE t.case_id = v.id AND t.type = 'CaseProgressNoted'
         ORDER BY t.stream_position DESC LIMIT 1) p ON true
       WHERE s.opened_at < $1::date::timestamp AT TIME ZONE 'Asia/Shanghai'
         AND (s.status IN ('new', 'dispatched', 'accepted', 'returned', 'paused')
              OR s.first_response_overdue OR s.resolution_overdue)
       ORDER BY v.lead_department NULLS FIRST, s.opened_at, s.case_id`,
      [period.to, now],
    )) as {
      case_id: string;
      enterprise_name: string;
      street: string;
      category: string;
      lead_department: string | null;
      co_departments: string[];
      status: string;
      opened_at: Date;
      resolution_due_at: Date;
      resolved_at: Date | null;
      overdue: boolean;
      supervised_count: number;
      note: string | null;
      noted_at: Date | null;
    }[];
    return {
      name: `monthly-ledger-${month}`,
      title: `一月一调度 台账 ${month}（截至 ${local(now)}）`,
      columns: [
        '案件编号',
        '企业',
        '街道',
        '问题类别',
        '牵头部门',
        '协办部门',
        '状态',
        '受理时间',
        '办理时限',
        '已用工作日',
        '是否超期',
        '督办次数',
        '最新进展',
        '进展时间',
      ],
      rows: rows.map((r) => [
        r.case_id,
        r.enterprise_name,
        r.street,
        r.category,
        r.lead_department,
        r.co_departments.join('、'),
        STATUS_ZH[r.status] ?? r.status,
        local(r.opened_at),
        local(r.resolution_due_at),
        Math.round(
          (calendar.workingMinutesBetween(r.opened_at, r.resolved_at ?? now) /
            calendar.minutesPerDay) *
            10,
        ) / 10,
        r.overdue ? '是' : '否',
        r.supervised_count,
        r.note,
        local(r.noted_at),
      ]),
    };
  }

  /** 一季一点评: departments ranked by weighted score, with the three rates and their trend. */
  async quarterlyReview(quarter: string): Promise<Report> {
    const [year, q] = quarter.split('-Q').map(Number) as [number, number];
    const period = periodOf('quarter', `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`);
    const result = await this.metrics.execute(
      new GetMetricsQuery('lead_department', period, DEFAULT_SCORE_WEIGHTS, 5),
    );
    const trend = (now: number | null, before: number | null) =>
      now === null || before === null ? '' : now > before ? '↑' : now < before ? '↓' : '→';
    return {
      name: `quarterly-review-${quarter}`,
      title: `一季一点评 ${period.label}（权重 响应30 / 解决35 / 满意35；受理少于5件不参与排名）`,
      columns: [
        '排名',
        '部门',
        '受理',
        '响应率%',
        '当日回应率%',
        '解决率%',
        '按时办结率%',
        '满意率%',
        '得分',
        '上季得分',
        '趋势',
        '超期',
        '督办',
        '退单',
        '回应用时中位数(工作分钟)',
        '办结用时中位数(工作分钟)',
      ],
      rows: result.rows
        .filter((r) => r.key !== '-')
        .map((r) => [
          r.rank,
          r.name ?? r.key,
          r.counters.received,
          percent(r.rates.responseRate),
          percent(r.rates.sameDayResponseRate),
          percent(r.rates.resolutionRate),
          percent(r.rates.onTimeResolutionRate),
          percent(r.rates.satisfactionRate),
          r.score,
          r.previousScore,
          trend(r.score, r.previousScore),
          r.counters.overdue,
          r.counters.escalated,
          r.counters.returned,
          r.firstResponseTime.median,
          r.resolutionTime.median,
        ]),
    };
  }

  /** Today's month and quarter in Shenzhen. */
  current(): { month: string; quarter: string } {
    const today = shenzhenDate(this.clock.now());
    return { month: today.slice(0, 7), quarter: periodOf('quarter', today).label };
  }
}

/** CSV with a byte-order mark (so Excel reads the Chinese) or an .xlsx workbook. */
export async function render(report: Report, format: ReportFormat): Promise<Buffer> {
  if (format === 'csv') {
    return Buffer.from(`\uFEFF${stringify([report.columns, ...report.rows])}`, 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Saolou';
  const sheet = workbook.addWorksheet(report.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  sheet.addRow([report.title]).font = { bold: true, size: 14 };
  sheet.addRow(report.columns).font = { bold: true };
  for (const row of report.rows) sheet.addRow(row);
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  report.columns.forEach((column, i) => {
    sheet.getColumn(i + 1).width = Math.min(40, Math.max(10, column.length * 2 + 2));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export class LedgerQueryDto {
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: this month' })
  @OptionalNotNull()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'xlsx' })
  @OptionalNotNull()
  @IsIn(REPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ReportFormat;
}

export class ReviewQueryDto {
  @ApiPropertyOptional({ example: '2026-Q4', description: 'Default: this quarter' })
  @OptionalNotNull()
  @Matches(/^\d{4}-Q[1-4]$/, { message: 'quarter must be YYYY-Qn, e.g. 2026-Q4' })
  quarter?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'xlsx' })
  @OptionalNotNull()
  @IsIn(REPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ReportFormat;
}

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: Reports) {}

  private async send(reply: FastifyReply, report: Report, format: ReportFormat) {
    const body = await render(report, format);
    void reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="${report.name}.${format}"`);
    return body;
  }

  @Get('monthly-ledger')
  @Can('metrics.read')
  @ApiOperation({ summary: '一月一调度 台账: every open or overdue case, as .xlsx or .csv' })
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'The file' })
  async ledger(@QueryParams() q: LedgerQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.monthlyLedger(q.month ?? this.reports.current().month);
    return this.send(reply, report, q.format ?? 'xlsx');
  }

  @Get('quarterly-review')
  @Can('metrics.read')
  @ApiOperation({ summary: '一季一点评: departments ranked by weighted score, as .xlsx or .csv' })
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'The file' })
  async review(@QueryParams() q: ReviewQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.quarterlyReview(q.quarter ?? this.reports.current().quarter);
    return this.send(reply, report, q.format ?? 'xlsx');
  }
}
