import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '#event-store';
import { PROJECTIONS, Projector, READ_MODEL_ENTITIES } from '#read-model';
import { SlaClock } from '#workers';
import type { AppConfig } from '../config.js';
import { RequestContexts } from '../http/request-context.js';
import { Invalidations } from './invalidations.js';
import { AdvisoryLocks } from './advisory-locks.js';
import { ReadCache, ReadCacheInterceptor, WritesForgetReads } from './read-cache.js';
import { ReadConsistency } from './read-consistency.js';
import { SlaSettingsCache } from './sla-settings.js';
import { APP_CONFIG, CLOCK, EVENT_STORE, systemClock, type Clock } from './tokens.js';

/** Runs the projector inside this process when PROJECTOR=inline; closes the event store last. */
@Injectable()
class Lifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');

  constructor(
    private readonly projector: Projector,
    private readonly clock: SlaClock,
    private readonly store: PostgresEventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.init();
    if (this.config.PROJECTOR === 'inline') {
      this.projector.start();
      this.clock.start();
      this.logger.log(
        `running in-process: ${this.projector.projections.map((p) => p.name).join(', ')}`,
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.clock.stop();
    await this.projector.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(
    config: AppConfig & { DATABASE_URL: string },
    clock: Clock = systemClock,
  ): DynamicModule {
    const logger = new Logger('Projector');
    return {
      module: InfrastructureModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.DATABASE_URL,
          entities: READ_MODEL_ENTITIES,
          synchronize: false,
          migrationsRun: false,
          logging: false,
          extra: { max: 10, connectionTimeoutMillis: 10_000 },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        {
          provide: PostgresEventStore,
          useFactory: () =>
            PostgresEventStore.connect(config.DATABASE_URL, {
              poolSize: 20,
              groupCommit: config.APPEND_BATCHES > 0 && { maxInFlight: config.APPEND_BATCHES },
            }),
        },
        { provide: EVENT_STORE, useExisting: PostgresEventStore },
        {
          provide: Projector,
          inject: [DataSource, PostgresEventStore],
          useFactory: (ds: DataSource, store: PostgresEventStore) =>
            new Projector(ds, store, PROJECTIONS, {
              log: (entry) => entry.msg === 'batch.failed' && logger.error(JSON.stringify(entry)),
            }),
        },
        {
          provide: SlaClock,
          inject: [DataSource, PostgresEventStore, CLOCK, SlaSettingsCache],
          useFactory: (
            ds: DataSource,
            store: PostgresEventStore,
            clock: Clock,
            slaSettings: SlaSettingsCache,
          ) =>
            new SlaClock(ds, store, {
              now: () => clock.now(),
              settings: () => slaSettings.current(),
              intervalMs: config.SLA_CLOCK_INTERVAL_MS,
              log: (entry) =>
                entry.msg !== 'sla.check_skipped' && logger.log(JSON.stringify(entry)),
            }),
        },
        Lifecycle,
        {
          provide: RequestContexts,
          inject: [CLOCK],
          useFactory: (c: Clock) => new RequestContexts(c),
        },
        ReadConsistency,
        Invalidations,
        AdvisoryLocks,
        ReadCache,
        ReadCacheInterceptor,
        { provide: APP_INTERCEPTOR, useClass: WritesForgetReads },
        SlaSettingsCache,
      ],
      exports: [
        APP_CONFIG,
        CLOCK,
        EVENT_STORE,
        PostgresEventStore,
        Projector,
        SlaClock,
        RequestContexts,
        ReadConsistency,
        Invalidations,
        AdvisoryLocks,
        ReadCache,
        ReadCacheInterceptor,
        SlaSettingsCache,
      ],
    };
  }
}
