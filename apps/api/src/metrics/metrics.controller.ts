import { Controller, Get, Inject, Query as QueryParams } from '@nestjs/common';
import { Can } from '../auth/policy.js';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { shenzhenDate } from '#domain';
import { CachedRead } from '../infrastructure/read-cache.js';
import { CLOCK, type Clock } from '../infrastructure/tokens.js';
import { HttpProblem } from '../http/errors.js';

import { DAY_MS, dayMs, periodOf, rangeOf } from './periods.js';
import { MetricsDto, MetricsQueryDto } from './get-metrics/get-metrics.dto.js';
import { GetMetricsQuery, parseWeights } from './get-metrics/get-metrics.handler.js';
const RANGE_RULE = 'to must be on or after from, at most 366 days in all';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @CachedRead()
  @Can('metrics.read')
  @ApiOperation({
    summary:
      'The leaders’ 三率 dashboard: response, resolution and satisfaction rates by dimension',
    description:
      'Cases count in the period they arrived in (intake day, Shenzhen time). Rates are ratios of the counters (see MetricsRowDto). The score weighs 响应率, 解决率 and 满意率 (default 30/35/35); a rate with no cases behind it is left out and the other weights scaled up. Keys with fewer than minCases cases received are shown, not ranked. Times are working minutes to the histogram bucket (5 min under an hour, 15 min under a working day, an hour under ten working days, then a working day).',
  })
  @ApiOkResponse({ type: MetricsDto })
  get(@QueryParams() query: MetricsQueryDto) {
    const weights = parseWeights(query.weights);
    const kind = query.period ?? 'month';
    if (kind === 'range') {
      const days = (dayMs(query.to!) - dayMs(query.from!)) / DAY_MS;
      if (days < 0 || days > 365)
        throw new HttpProblem(400, 'REQUEST.INVALID', RANGE_RULE, [
          { field: 'to', rule: 'range', message: RANGE_RULE },
        ]);
    }
    return this.queries.execute(
      new GetMetricsQuery(
        query.dimension ?? 'lead_department',
        kind === 'range'
          ? rangeOf(query.from!, query.to!)
          : periodOf(kind, query.on ?? shenzhenDate(this.clock.now())),
        weights,
        query.minCases ?? 5,
      ),
    );
  }
}
