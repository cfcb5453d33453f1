import { Controller, Get, Query as QueryParams, Req, Res } from '@nestjs/common';
import { Can } from '../auth/policy.js';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { LedgerQueryDto } from './monthly-ledger/monthly-ledger.dto.js';
import { MonthlyLedgerQuery } from './monthly-ledger/monthly-ledger.handler.js';
import { ReviewQueryDto } from './quarterly-review/quarterly-review.dto.js';
import { QuarterlyReviewQuery } from './quarterly-review/quarterly-review.handler.js';
import { CONTENT_TYPES, render, type Report, type ReportFormat } from './report.js';

/** What the reports read: X-Consistent-With waits for these. */
const READS = ['case_view', 'case_sla', 'case_timeline', 'reference_view'];

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly consistency: ReadConsistency,
  ) {}

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
  async ledger(
    @QueryParams() q: LedgerQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.consistency.await(request, READS);
    const report = await this.queries.execute(new MonthlyLedgerQuery(q.month));
    return this.send(reply, report, q.format ?? 'xlsx');
  }

  @Get('quarterly-review')
  @Can('metrics.read')
  @ApiOperation({ summary: '一季一点评: departments ranked by weighted score, as .xlsx or .csv' })
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'The file' })
  async review(
    @QueryParams() q: ReviewQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.consistency.await(request, READS);
    const report = await this.queries.execute(new QuarterlyReviewQuery(q.quarter));
    return this.send(reply, report, q.format ?? 'xlsx');
  }
}
