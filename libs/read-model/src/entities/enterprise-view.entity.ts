import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'enterprise_view' })
export class EnterpriseView {
  /** The unified social credit code. */
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'credit_code' }) creditCode!: string;
  @Column('text') street!: string;
  @Column('text', { nullable: true }) building!: string | null;
  @Column('text', { name: 'industry_cluster', nullable: true }) industryCluster!: string | null;
  @Column('text', { array: true }) tags!: string[];
  @Column('text', { name: 'contact_person', nullable: true }) contactPerson!: string | null;
  @Column('text', { name: 'contact_phone', nullable: true }) contactPhone!: string | null;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt!: Date;
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @Column('integer') version!: number;
}
