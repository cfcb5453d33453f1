import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'campaign_view' })
export class CampaignView {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('date', { name: 'starts_on' }) startsOn!: string;
  @Column('date', { name: 'ends_on' }) endsOn!: string;
  @Column('text', { array: true }) buildings!: string[];
  @Column('text', { name: 'enterprise_ids', array: true }) enterpriseIds!: string[];
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('integer') version!: number;
}
