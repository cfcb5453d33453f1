import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'visit_view' })
export class VisitView {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'enterprise_id' }) enterpriseId!: string;
  @Column('text', { name: 'enterprise_name' }) enterpriseName!: string;
  @Column('text') street!: string;
  @Column('date', { name: 'visited_on' }) visitedOn!: string;
  @Column('text') level!: string;
  @Column('text', { array: true }) officers!: string[];
  @Column('text', { array: true }) leaders!: string[];
  @Column('text') summary!: string;
  @Column('text', { name: 'case_ids', array: true }) caseIds!: string[];
  @Column('timestamptz', { name: 'logged_at' }) loggedAt!: Date;
  /** The user who logged it (for an officer's scope). */
  @Column('text', { name: 'logged_by', nullable: true }) loggedBy!: string | null;
}
