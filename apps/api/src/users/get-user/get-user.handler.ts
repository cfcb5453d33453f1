import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccountErrors, normaliseUsername, notFound } from '#domain';
import { UserAccount } from '#read-model';
import type { UserDto } from '../user.dto.js';

export class GetUserQuery extends Query<UserDto> {
  constructor(readonly username: string) {
    super();
  }
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ username: raw }: GetUserQuery): Promise<UserDto> {
    const found = await this.dataSource
      .getRepository(UserAccount)
      .findOneBy({ username: normaliseUsername(raw) });
    if (!found) throw notFound(AccountErrors.notFound, `No user ${raw}`);
    return found;
  }
}
