import { Controller, Get, Query as QueryParams, Req, Res } from '@nestjs/common';
import { Can } from '../auth/policy.js';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { OptionalNotNull } from '../http/validators.js';
import {
  CONTENT_TYPES,
  render,
  Reports,
  REPORT_FORMATS,
  type Report,
  type ReportFormat,
} from './reports.js';

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

/** What the reports read: X-Consistent-With waits for these. */
const READS = ['case_view', 'case_sla', 'case_timeline', 'reference_view'];

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: Reports,
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
    const report = await this.reports.monthlyLedger(q.month ?? this.reports.current().month);
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
    const report = await this.reports.quarterlyReview(q.quarter ?? this.reports.current().quarter);
    return this.send(reply, report, q.format ?? 'xlsx');
  }
}
