import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEADLINE_STATES } from '#domain';

export class CaseDeadlineDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'ISO instant; null when the clock has no deadline (not applicable)',
  })
  dueAt!: string | null;

  @ApiProperty({
    enum: DEADLINE_STATES,
    description:
      'running; paused (the case waits for the enterprise: the deadline moves on); met / met_late (by or after the deadline); overdue; not_applicable (e.g. a withdrawn case, or no interim update due before the first response)',
  })
  state!: (typeof DEADLINE_STATES)[number];

  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Working minutes (office hours on the working calendar) at asOf: > 0 left, < 0 overrun; null when met or not applicable',
  })
  workingMinutesLeft!: number | null;

  @ApiProperty({
    enum: ['none', 'approaching', 'overdue'],
    description:
      'approaching: inside the pre-breach warning window (the policy’s warningWorkingHours)',
  })
  warning!: 'none' | 'approaching' | 'overdue';

  @ApiProperty({
    description:
      'false when dueAt falls in a year whose holidays are not known yet (import the year: PUT /sla/calendar/years/{year}); the figure is then provisional',
  })
  calendarKnown!: boolean;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'When it was met' })
  metAt!: string | null;
}

export class CaseDeadlinesDto {
  @ApiProperty({ description: 'The instant the figures were computed at (the reply’s now)' })
  asOf!: string;
  @ApiProperty({ type: CaseDeadlineDto, description: '首次回应: the same-day first answer' })
  firstResponse!: CaseDeadlineDto;
  @ApiProperty({
    type: CaseDeadlineDto,
    description: '进展更新: the next progress update, interimUpdateWorkingHours after the latest',
  })
  interimUpdate!: CaseDeadlineDto;
  @ApiProperty({ type: CaseDeadlineDto, description: '办结: the resolution' })
  resolution!: CaseDeadlineDto;
}

export class CaseQueuesDto {
  @ApiProperty({ description: 'Some clock is overdue now' }) overdue!: number;
  @ApiProperty({
    description: 'Some running clock falls due within dueWithinHours (default 4) working hours',
  })
  dueSoon!: number;
  @ApiProperty({ description: 'Paused (暂停), waiting for the enterprise' }) paused!: number;
  @ApiProperty({ description: 'An extension request awaits a decision' }) extensionPending!: number;
  @ApiProperty({ description: 'Under supervision (督办)' }) supervised!: number;
}
