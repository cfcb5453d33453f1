import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CampaignErrors, notFound } from '#domain';
import { CampaignView } from '#read-model';
import type { CampaignCoverageDto, CoverageRowDto } from '../campaign.dto.js';

export class GetCampaignQuery extends Query<CampaignCoverageDto> {
  constructor(readonly id: string) {
    super();
  }
}

/**
 * Coverage = target enterprises visited in the period / target enterprises. Targets are the
 * named enterprises plus every active enterprise registered in a target building.
 */
@QueryHandler(GetCampaignQuery)
export class GetCampaignHandler implements IQueryHandler<GetCampaignQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id }: GetCampaignQuery): Promise<CampaignCoverageDto> {
    const campaign = await this.dataSource.getRepository(CampaignView).findOneBy({ id });
    if (!campaign) throw notFound(CampaignErrors.notFound, `Campaign ${id} does not exist`);
    const rows: {
      street: string | null;
      building: string | null;
      targets: number;
      visited: number;
      grouping: number;
    }[] = await this.dataSource.query(
      `WITH targets AS (
         SELECT e.id, e.street, coalesce(e.building, '') AS building,
                EXISTS (SELECT 1 FROM visit_view v WHERE v.enterprise_id = e.id AND v.visited_on BETWEEN $3 AND $4) AS visited
         FROM enterprise_view e
         WHERE e.archived_at IS NULL AND (e.id = ANY($1) OR e.building = ANY($2)))
       SELECT street, building, count(*)::int AS targets, count(*) FILTER (WHERE visited)::int AS visited,
              GROUPING(street, building)::int AS grouping
       FROM targets GROUP BY ROLLUP (street, building) ORDER BY street NULLS LAST, building NULLS FIRST`,
      [campaign.enterpriseIds, campaign.buildings, campaign.startsOn, campaign.endsOn],
    );
    const row = (r: (typeof rows)[number]): CoverageRowDto => ({
      street: r.grouping === 3 ? null : r.street,
      building: r.grouping === 0 ? r.building : null,
      targets: r.targets,
      visited: r.visited,
      coverage: r.targets ? Math.round((r.visited / r.targets) * 10_000) / 10_000 : 0,
    });
    const total = rows.find((r) => r.grouping === 3);
    return {
      ...campaign,
      total: total
        ? row(total)
        : { street: null, building: null, targets: 0, visited: 0, coverage: 0 },
      streets: rows.filter((r) => r.grouping === 1).map(row),
      buildingsCoverage: rows.filter((r) => r.grouping === 0).map(row),
    };
  }
}
