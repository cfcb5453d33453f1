import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { OptionalNotNull } from '../../http/validators.js';
import { REPORT_FORMATS, type ReportFormat } from '../report.js';

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
