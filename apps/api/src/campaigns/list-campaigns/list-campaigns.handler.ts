import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CampaignView } from '#read-model';
import type { CampaignDto } from '../campaign.dto.js';

export class ListCampaignsQuery extends Query<CampaignDto[]> {}

@QueryHandler(ListCampaignsQuery)
export class ListCampaignsHandler implements IQueryHandler<ListCampaignsQuery> {
  constructor(private readonly dataSource: DataSource) {}
  execute() {
    return this.dataSource
      .getRepository(CampaignView)
      .find({ order: { startsOn: 'DESC', id: 'ASC' } });
  }
}
