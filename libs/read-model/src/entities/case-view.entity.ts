import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'case_view' })
@Index('case_view_status_idx', ['status', 'openedAt', 'id'])
@Index('case_view_opened_idx', ['openedAt', 'id'])
@Index('case_view_department_idx', ['department', 'status', 'openedAt', 'id'])
export class CaseView {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'enterprise_id' }) enterpriseId!: string;
  @Column('text', { name: 'enterprise_name' }) enterpriseName!: string;
  @Column('text') street!: string;
  @Column('text') category!: string;
  @Column('text') description!: string;
  @Column('text') status!: string;
  @Column('text', { nullable: true }) department!: string | null;
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
  @Column('timestamptz', { name: 'assigned_at', nullable: true }) assignedAt!: Date | null;
  @Column('timestamptz', { name: 'first_response_at', nullable: true })
  firstResponseAt!: Date | null;
  @Column('text', { name: 'first_response', nullable: true }) firstResponse!: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  @Column('text', { nullable: true }) resolution!: string | null;
  /** The stream version the row reflects (the ETag a client sends back). */
  @Column('integer') version!: number;
}
