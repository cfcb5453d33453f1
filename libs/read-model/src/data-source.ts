import { DataSource } from 'typeorm';
import {
  AppendBatch1795340000000,
  CreateEventStore1795300000000,
  IdempotencyKeys1795310001400,
} from '#event-store';
import { CaseTimelineEntry } from './entities/case-timeline-entry.entity.js';
import { CaseView } from './entities/case-view.entity.js';
import { EnterpriseView } from './entities/enterprise-view.entity.js';
import { CreateReadModels1795300000001 } from './migrations/1795300000001-CreateReadModels.js';
import { CaseLifecycleReadModels1795300000002 } from './migrations/1795300000002-CaseLifecycleReadModels.js';
import { ReferenceView } from './entities/reference-view.entity.js';
import { CampaignView } from './entities/campaign-view.entity.js';
import { Campaigns1795300000003 } from './migrations/1795300000003-Campaigns.js';
import { campaignViewProjection } from './projections/campaign-view.projection.js';
import { VisitView } from './entities/visit-view.entity.js';
import { referenceViewProjection } from './projections/reference-view.projection.js';
import { visitViewProjection } from './projections/visit-view.projection.js';
import { caseTimelineProjection } from './projections/case-timeline.projection.js';
import { caseViewProjection } from './projections/case-view.projection.js';
import { enterpriseViewProjection } from './projections/enterprise-view.projection.js';
import { caseSlaProjection } from './projections/case-sla.projection.js';
import { SlaAndMetrics1795300000004 } from './migrations/1795300000004-SlaAndMetrics.js';
import { Accounts1795300000005 } from './migrations/1795300000005-Accounts.js';
import { AuthSession, UserAccount } from './entities/user-account.entity.js';
import { userAccountProjection } from './projections/user-account.projection.js';
import { HistogramAdd1795300000006 } from './migrations/1795300000006-HistogramAdd.js';
import { CaseViewOneLifecycle1795310000001 } from './migrations/1795310000001-CaseViewOneLifecycle.js';
import { Deadlines1795310000011 } from './migrations/1795310000011-Deadlines.js';
import { CaseSlaVersion1795320000001 } from './migrations/1795320000001-CaseSlaVersion.js';
import { RoomForHotUpdates1795330000001 } from './migrations/1795330000001-RoomForHotUpdates.js';

export const READ_MODEL_ENTITIES = [
  EnterpriseView,
  CaseView,
  CaseTimelineEntry,
  VisitView,
  ReferenceView,
  CampaignView,
  UserAccount,
  AuthSession,
];
/** Every migration, event store first. Schema changes only ever happen through these. */
export const MIGRATIONS = [
  CreateEventStore1795300000000,
  CreateReadModels1795300000001,
  CaseLifecycleReadModels1795300000002,
  Campaigns1795300000003,
  SlaAndMetrics1795300000004,
  Accounts1795300000005,
  HistogramAdd1795300000006,
  CaseViewOneLifecycle1795310000001,
  Deadlines1795310000011,
  CaseSlaVersion1795320000001,
  IdempotencyKeys1795310001400,
  RoomForHotUpdates1795330000001,
  AppendBatch1795340000000,
];
export const PROJECTIONS = [
  referenceViewProjection,
  enterpriseViewProjection,
  caseViewProjection,
  caseTimelineProjection,
  visitViewProjection,
  campaignViewProjection,
  caseSlaProjection,
  userAccountProjection,
];

export function createDataSource(url: string, options: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 },
  });
}

/** Applies pending migrations; returns their names. */
export async function migrate(url: string): Promise<string[]> {
  const ds = createDataSource(url, { poolSize: 1 });
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
