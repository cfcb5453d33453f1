import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per case: the worklist and the case header. */
@Entity({ name: 'case_view' })
export class CaseView {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'enterprise_id' }) enterpriseId!: string;
  @Column('text', { name: 'enterprise_name' }) enterpriseName!: string;
  @Column('text') street!: string;
  @Column('text') category!: string;
  @Column('text') channel!: string;
  @Column('text') priority!: string;
  @Column('text') description!: string;
  @Column('text', { name: 'visit_id', nullable: true }) visitId!: string | null;
  /** The user who opened it (for an officer's scope). */
  @Column('text', { name: 'opened_by', nullable: true }) openedBy!: string | null;
  @Column('text') status!: string;
  @Column('text', { name: 'lead_department', nullable: true }) leadDepartment!: string | null;
  @Column('text', { name: 'co_departments', array: true }) coDepartments!: string[];
  /** Every department that led or co-handled it at some point ("handled by us"). */
  @Column('text', { name: 'handled_by', array: true }) handledBy!: string[];
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
  @Column('timestamptz', { name: 'first_response_at', nullable: true })
  firstResponseAt!: Date | null;
  @Column('text', { name: 'first_response', nullable: true }) firstResponse!: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  @Column('text', { nullable: true }) resolution!: string | null;
  @Column('text', { nullable: true }) outcome!: string | null;
  @Column('text', { nullable: true }) satisfaction!: string | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('boolean', { name: 'extension_pending' }) extensionPending!: boolean;
  /** The deadline the pending extension asks for (null when none is pending). */
  @Column('timestamptz', { name: 'extension_requested_due_at', nullable: true })
  extensionRequestedDueAt!: Date | null;
  @Column('text', { name: 'extension_reason', nullable: true }) extensionReason!: string | null;
  @Column('integer', { name: 'returned_count' }) returnedCount!: number;
  @Column('integer', { name: 'transferred_count' }) transferredCount!: number;
  @Column('integer', { name: 'reworked_count' }) reworkedCount!: number;
  @Column('integer', { name: 'supervised_count' }) supervisedCount!: number;
  @Column('timestamptz', { name: 'last_activity_at' }) lastActivityAt!: Date;
  /** The stream version the row reflects (the ETag a client sends back). */
  @Column('integer') version!: number;
}
