import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'enterprise_view' })
export class EnterpriseView {
  /** The unified social credit code. */
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'credit_code' }) creditCode!: string;
  @Column('text') street!: string;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt!: Date;
  @Column('integer') version!: number;
}
