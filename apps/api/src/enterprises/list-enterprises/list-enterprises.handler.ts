import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { containing, EnterpriseView } from '#read-model';
import { CursorValue, decodeCursor, toPage } from '../../http/cursor.js';

import { EnterpriseListDto } from '../enterprise.dto.js';
import { ListEnterprisesDto } from './list-enterprises.dto.js';
export class ListEnterprisesQuery extends Query<EnterpriseListDto> {
  constructor(readonly filter: ListEnterprisesDto) {
    super();
  }
}

@QueryHandler(ListEnterprisesQuery)
export class ListEnterprisesHandler implements IQueryHandler<ListEnterprisesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter }: ListEnterprisesQuery): Promise<EnterpriseListDto> {
    const limit = filter.limit ?? 50;
    const query = this.dataSource.getRepository(EnterpriseView).createQueryBuilder('e');
    if (filter.street) query.andWhere('e.street = :street', { street: filter.street });
    if (filter.tag) query.andWhere(':tag = ANY(e.tags)', { tag: filter.tag });
    if (!filter.includeArchived) query.andWhere('e.archived_at IS NULL');
    if (filter.q) {
      query.andWhere(`(e.name ILIKE :q ESCAPE '\\' OR e.id ILIKE :q ESCAPE '\\')`, {
        q: containing(filter.q),
      });
    }
    if (filter.cursor) {
      const [name, id] = decodeCursor(filter.cursor, [CursorValue.text, CursorValue.text]);
      query.andWhere('(e.name, e.id) > (:name, :id)', { name, id });
    }
    const rows = await query
      .orderBy('e.name', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.name, last.id]);
  }
}
