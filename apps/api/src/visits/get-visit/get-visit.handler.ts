import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { notFound } from '#domain';
import { VisitView } from '#read-model';
import type { VisitDto } from '../visit.dto.js';

export class GetVisitQuery extends Query<VisitDto> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetVisitQuery)
export class GetVisitHandler implements IQueryHandler<GetVisitQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id }: GetVisitQuery): Promise<VisitDto> {
    const found = await this.dataSource.getRepository(VisitView).findOneBy({ id });
    if (!found) throw notFound('VISIT.NOT_FOUND', `Visit ${id} does not exist`);
    return found;
  }
}
