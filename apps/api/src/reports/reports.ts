import { Inject, Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { DEFAULT_SCORE_WEIGHTS, shenzhenDate, shenzhenDateTime } from '#domain';
import { SlaSettingsCache } from '../infrastructure/sla-settings.js';
import { CLOCK, type Clock } from '../infrastructure/tokens.js';
import { CaseDeadlineReader } from '../cases/case-deadlines.js';
import { GetMetricsHandler, GetMetricsQuery } from '../metrics/get-metrics/get-metrics.handler.js';
import { periodOf } from '../metrics/periods.js';

export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report as a table: a title, column headers and rows of plain values. */
export interface Report {
  name: string;
  /** The worksheet's name (Excel allows 31 characters); from the title when left out. */
  sheet?: string;
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
    private readonly slaSettings: SlaSettingsCache,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly deadlines: CaseDeadlineReader,
  ) {}

  /**
   * 一月一调度 台账: every case open at the report time, or overdue, that arrived by the end
   * of the month: department, working days open, status and the latest progress.
   */
  async monthlyLedger(month: string): Promise<Report> {
    const period = periodOf('month', `${month}-01`);
    const settings = await this.slaSettings.current();
    const { calendar } = settings;
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
         -- Withdrawn and closed cases are finished and not judged here.
         AND s.status NOT IN ('withdrawn', 'closed')
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
    // The deadline and whether it was missed, by the same function as every case reply.
    const deadlines = await this.deadlines.forCases(
      rows.map((r) => ({ id: r.case_id })),
      now,
      settings,
    );
    const missed = (id: string, overdue: boolean) => {
      const d = deadlines.get(id);
      if (!d) return overdue;
      return [d.firstResponse.state, d.resolution.state].some(
        (state) => state === 'overdue' || state === 'met_late',
      );
    };
    const dueOf = (id: string, fallback: Date) => {
      const due = deadlines.get(id)?.resolution;
      if (!due) return local(fallback);
      if (!due.dueAt) return '—';
      return due.calendarKnown ? local(due.dueAt) : `${local(due.dueAt)}（暂定）`;
    };
    const names = await this.names();
    const street = (code: string) => names.get(`street:${code}`) ?? code;
    const category = (code: string) => names.get(`category:${code}`) ?? code;
    const department = (code: string | null) =>
      code === null ? '（未派单）' : (names.get(`department:${code}`) ?? code);
    return {
      name: `monthly-ledger-${month}`,
      sheet: `一月一调度台账 ${month}`,
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
        street(r.street),
        category(r.category),
        department(r.lead_department),
        r.co_departments.map(department).join('、'),
        STATUS_ZH[r.status] ?? r.status,
        local(r.opened_at),
        dueOf(r.case_id, r.resolution_due_at),
        Math.round(
          (calendar.workingMinutesBetween(r.opened_at, r.resolved_at ?? now) /
            calendar.minutesPerDay) *
            10,
        ) / 10,
        missed(r.case_id, r.overdue) ? '是' : '否',
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
      sheet: `一季一点评 ${period.label}`,
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

  /** The Chinese names of streets, departments and categories, by `kind:code`. */
  private async names(): Promise<Map<string, string>> {
    const rows = (await this.dataSource.query(`SELECT kind, code, name FROM reference_view`)) as {
      kind: string;
      code: string;
      name: string;
    }[];
    return new Map(rows.map((r) => [`${r.kind}:${r.code}`, r.name]));
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
  // Loaded on the first .xlsx asked for: ExcelJS is ≈ 30 MB of resident memory that a
  // process which never writes a workbook need not carry.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Saolou';
  const sheet = workbook.addWorksheet(sheetName(report.sheet ?? report.title));
  sheet.addRow([report.title]).font = { bold: true, size: 14 };
  sheet.addRow(report.columns).font = { bold: true };
  for (const row of report.rows) sheet.addRow(row);
  // The title and the header row stay in view while scrolling.
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  report.columns.forEach((column, i) => {
    let widest = displayWidth(column);
    for (const row of report.rows)
      widest = Math.max(widest, displayWidth(row[i] === null ? '' : String(row[i])));
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, widest + 2));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Characters as wide as Excel draws them: CJK and full-width ones count twice. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(
        c,
      )
        ? 2
        : 1;
  return width;
}

/**
 * A worksheet name Excel accepts: at most 31 characters, none of \\ / ? * [ ] :, cut before
 * a bracket or at the last space that fits rather than in the middle of a word.
 */
export function sheetName(title: string): string {
  const clean = title
    .replace(/[\\/?*[\]:]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= 31) return clean || 'Sheet1';
  const head = clean.slice(0, 32);
  // Drop a parenthetical that does not fit whole; else cut at the last space.
  const bracket = head.search(/[（(]/);
  const cut = bracket > 0 ? bracket : head.lastIndexOf(' ');
  return (cut > 0 ? clean.slice(0, cut) : clean.slice(0, 31)).trim();
}

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
