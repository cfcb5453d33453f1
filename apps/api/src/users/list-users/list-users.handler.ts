import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { containing, UserAccount } from '#read-model';
import { CursorValue, decodeCursor, toPage } from '../../http/cursor.js';
import type { UserListDto } from '../user.dto.js';
import type { UserListFilterDto } from './list-users.dto.js';

export class ListUsersQuery extends Query<UserListDto> {
  constructor(readonly filter: UserListFilterDto) {
    super();
  }
}

/** Accounts by username, in keyset pages, filtered by role, status and part of a name. */
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter }: ListUsersQuery): Promise<UserListDto> {
    const limit = filter.limit ?? 50;
    const query = this.dataSource.getRepository(UserAccount).createQueryBuilder('u');
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.status) query.andWhere('u.status = :status', { status: filter.status });
    if (filter.q) {
      query.andWhere(`(u.username ILIKE :q ESCAPE '\\' OR u.display_name ILIKE :q ESCAPE '\\')`, {
        q: containing(filter.q),
      });
    }
    if (filter.cursor) {
      const [username] = decodeCursor(filter.cursor, [CursorValue.text]);
      query.andWhere('u.username > :username', { username });
    }
    const rows = await query
      .orderBy('u.username', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.username]);
  }
}
