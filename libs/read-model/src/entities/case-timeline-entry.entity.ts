import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per event of a case: who did what, when. */
@Entity({ name: 'case_timeline' })
@Index('case_timeline_case_idx', ['caseId', 'streamPosition'], { unique: true })
export class CaseTimelineEntry {
  @PrimaryColumn('uuid', { name: 'event_id' }) eventId!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column('integer', { name: 'stream_position' }) streamPosition!: number;
  @Column('text') type!: string;
  @Column('text') actor!: string;
  /** The acting account's name, role, department and street, as the event recorded them. */
  @Column('jsonb', { name: 'actor_details', nullable: true })
  actorDetails!: Record<string, unknown> | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('jsonb') data!: Record<string, unknown>;
}
