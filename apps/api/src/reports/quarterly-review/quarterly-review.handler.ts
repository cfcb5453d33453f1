import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DEFAULT_SCORE_WEIGHTS } from '#domain';
import { CLOCK, type Clock } from '../../infrastructure/tokens.js';
import {
  GetMetricsHandler,
  GetMetricsQuery,
} from '../../metrics/get-metrics/get-metrics.handler.js';
import { periodOf } from '../../metrics/periods.js';
import { currentPeriods, percent, type Report } from '../report.js';

export class QuarterlyReviewQuery extends Query<Report> {
  /** `quarter` as YYYY-Qn; this quarter in Shenzhen when left out. */
  constructor(readonly quarter?: string) {
    super();
  }
}

@QueryHandler(QuarterlyReviewQuery)
export class QuarterlyReviewHandler implements IQueryHandler<QuarterlyReviewQuery> {
  constructor(
    private readonly metrics: GetMetricsHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** 一季一点评: departments ranked by weighted score, with the three rates and their trend. */
  async execute(query: QuarterlyReviewQuery): Promise<Report> {
    const quarter = query.quarter ?? currentPeriods(this.clock.now()).quarter;
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
}
