import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { REFERENCE_KINDS } from '#domain';
import { ReferenceView } from '#read-model';

export class ReferenceEntryDto {
  @ApiProperty({ enum: REFERENCE_KINDS }) kind!: string;
  @ApiProperty({ example: 'bantian' }) code!: string;
  @ApiProperty({ example: '坂田' }) name!: string;
  @ApiProperty({ description: 'Retired entries stay for history but take no new use' })
  active!: boolean;
}

export class ListReferenceQuery extends Query<ReferenceEntryDto[]> {}

@QueryHandler(ListReferenceQuery)
export class ListReferenceHandler implements IQueryHandler<ListReferenceQuery> {
  constructor(private readonly dataSource: DataSource) {}
  execute() {
    return this.dataSource
      .getRepository(ReferenceView)
      .find({ order: { kind: 'ASC', code: 'ASC' } });
  }
}
