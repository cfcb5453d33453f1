import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { OptionalNotNull } from '../../http/validators.js';
import { REPORT_FORMATS, type ReportFormat } from '../report.js';

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
