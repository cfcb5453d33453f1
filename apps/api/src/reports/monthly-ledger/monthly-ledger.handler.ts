import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CaseDeadlineReader } from '../../cases/case-deadlines.js';
import { SlaSettingsCache } from '../../infrastructure/sla-settings.js';
import { CLOCK, type Clock } from '../../infrastructure/tokens.js';
import { periodOf } from '../../metrics/periods.js';
import { currentPeriods, local, referenceNames, type Report } from '../report.js';

export class MonthlyLedgerQuery extends Query<Report> {
  /** `month` as YYYY-MM; this month in Shenzhen when left out. */
  constructor(readonly month?: string) {
    super();
  }
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

@QueryHandler(MonthlyLedgerQuery)
export class MonthlyLedgerHandler implements IQueryHandler<MonthlyLedgerQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly slaSettings: SlaSettingsCache,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly deadlines: CaseDeadlineReader,
  ) {}

  /**
   * 一月一调度 台账: every case open at the report time, or overdue, that arrived by the end
   * of the month: department, working days open, status and the latest progress.
   */
  async execute(query: MonthlyLedgerQuery): Promise<Report> {
    const now = this.clock.now();
    const month = query.month ?? currentPeriods(now).month;
    const period = periodOf('month', `${month}-01`);
    const settings = await this.slaSettings.current();
    const { calendar } = settings;
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
    const names = await referenceNames(this.dataSource);
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
}
