import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'reference_view' })
export class ReferenceView {
  @PrimaryColumn('text') kind!: string;
  @PrimaryColumn('text') code!: string;
  @Column('text') name!: string;
  @Column('boolean') active!: boolean;
}
