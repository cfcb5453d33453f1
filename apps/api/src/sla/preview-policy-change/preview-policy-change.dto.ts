import { ApiProperty } from '@nestjs/swagger';
import { METRIC_COUNTERS, METRIC_DIMENSIONS } from '#domain';

/** The body: the same as POST /sla/policies. */
export { SetPolicyDto } from '../sla.controller.js';

export const PREVIEW_RATES = [
  'sameDayResponseRate',
  'responseRate',
  'resolutionRate',
  'onTimeResolutionRate',
  'satisfactionRate',
] as const;

export class PolicyDeadlineMoveDto {
  @ApiProperty({ enum: ['firstResponse', 'interimUpdate', 'resolution'] }) clock!: string;
  @ApiProperty({ nullable: true, type: String }) oldDueAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) newDueAt!: string | null;
}

export class PolicyPreviewCaseDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: String }) leadDepartment!: string | null;
  @ApiProperty({ description: 'Intake instant (ISO)' }) openedAt!: string;
  @ApiProperty({ type: [PolicyDeadlineMoveDto] }) changes!: PolicyDeadlineMoveDto[];
}

export class CounterChangeDto {
  @ApiProperty({ enum: METRIC_COUNTERS }) counter!: string;
  @ApiProperty() before!: number;
  @ApiProperty() after!: number;
}

export class RateChangeDto {
  @ApiProperty({ enum: PREVIEW_RATES }) rate!: string;
  @ApiProperty({ nullable: true, type: Number }) before!: number | null;
  @ApiProperty({ nullable: true, type: Number }) after!: number | null;
}

export class MetricCellChangeDto {
  @ApiProperty({ example: '2026-11', description: 'The month of the cell (intake month)' })
  month!: string;
  @ApiProperty({ enum: METRIC_DIMENSIONS }) dimension!: string;
  @ApiProperty({ example: 'power_supply', description: 'The dimension key ("-": 未派单)' })
  key!: string;
  @ApiProperty({ type: [CounterChangeDto], description: 'The counters that move' })
  counters!: CounterChangeDto[];
  @ApiProperty({ type: [RateChangeDto], description: 'The rates that move with them' })
  rates!: RateChangeDto[];
}

export class PolicyPreviewDto {
  @ApiProperty({ example: 'power_supply/*' }) key!: string;
  @ApiProperty({ description: 'The change’s effective instant, normalised (ISO, UTC)' })
  effectiveFrom!: string;
  @ApiProperty({ description: 'Whether it takes effect before now (it re-derives past cases)' })
  retroactive!: boolean;
  @ApiProperty({ description: 'When the preview was computed' }) asOf!: string;
  @ApiProperty({
    description: 'Cases the key covers opened at or after effectiveFrom (the ones re-derived)',
  })
  casesCovered!: number;
  @ApiProperty({ description: 'Of them, cases whose due instants move' }) casesMoved!: number;
  @ApiProperty({ description: 'Of them, cases whose contribution to the metrics changes' })
  casesChangingFigures!: number;
  @ApiProperty({ type: [PolicyPreviewCaseDto], description: 'The first 500 moved cases, by id' })
  cases!: PolicyPreviewCaseDto[];
  @ApiProperty() truncated!: boolean;
  @ApiProperty({
    type: [MetricCellChangeDto],
    description:
      'The monthly metric cells (month × dimension × key) whose counters change, with the figures before and after',
  })
  cells!: MetricCellChangeDto[];
}
