import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CASE_CHANNELS,
  CASE_OUTCOMES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  SATISFACTIONS,
} from '#domain';
import { CaseDeadlinesDto, CaseQueuesDto } from './deadlines.dto.js';

/** The replies the case routes share. */
export class TimelineEntryDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'CaseDispatched' }) type!: string;
  @ApiProperty({ description: "Who did it: a user id, or system:<worker> for Saolou's own" })
  actor!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Their name when they did it' })
  actorName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Their role when they did it' })
  actorRole!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Their department (handlers)' })
  actorDepartment!: string | null;
  @ApiProperty() occurredAt!: Date;
  @ApiProperty({ description: 'Position in the case stream' }) version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed' })
  data!: Record<string, unknown>;
}

export class CaseDto {
  @ApiProperty() id!: string;
  @ApiProperty() enterpriseId!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() street!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ enum: CASE_CHANNELS }) channel!: string;
  @ApiProperty({ enum: CASE_PRIORITIES }) priority!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: String }) visitId!: string | null;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String }) leadDepartment!: string | null;
  @ApiProperty({ type: [String] }) coDepartments!: string[];
  @ApiProperty() openedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) firstResponseAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) firstResponse!: string | null;
  @ApiProperty({ nullable: true, type: Date }) resolvedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) resolution!: string | null;
  @ApiProperty({ nullable: true, enum: CASE_OUTCOMES }) outcome!: string | null;
  @ApiProperty({ nullable: true, enum: SATISFACTIONS }) satisfaction!: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'Due date from an approved extension' })
  dueAt!: Date | null;
  @ApiProperty() extensionPending!: boolean;
  @ApiProperty() returnedCount!: number;
  @ApiProperty() transferredCount!: number;
  @ApiProperty() reworkedCount!: number;
  @ApiProperty() supervisedCount!: number;
  @ApiProperty() lastActivityAt!: Date;
  @ApiProperty({ description: 'Stream version; also the ETag' }) version!: number;
  @ApiProperty({
    type: [String],
    description: 'Every department that led or co-handled it at some point',
  })
  handledBy!: string[];
  @ApiProperty({
    type: CaseDeadlinesDto,
    description: 'Each clock’s deadline at the reply’s instant (asOf)',
  })
  deadlines!: CaseDeadlinesDto;
}

export class CaseDetailDto extends CaseDto {
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
}

export class CaseListDto {
  @ApiProperty({ type: [CaseDto] }) items!: CaseDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last',
  })
  nextCursor!: string | null;
}

export class CaseCountsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { new: 3, accepted: 12 },
  })
  byStatus!: Record<string, number>;
  @ApiProperty() total!: number;
  @ApiProperty({
    type: CaseQueuesDto,
    description: 'Counts for the queue tabs, under the same scope and filters',
  })
  queues!: CaseQueuesDto;
}
