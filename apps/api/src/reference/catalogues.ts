import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  catalogueOf,
  LONGGANG_DEFAULTS,
  REFERENCE_KINDS,
  REFERENCE_STREAM_ID,
  referenceDecider,
  type Catalogue,
} from '#domain';
import { handleCommand, readState, type EventStore } from '#event-store';
import { CachedValue } from '../infrastructure/cached-value.js';
import { Invalidations } from '../infrastructure/invalidations.js';
import { CLOCK, EVENT_STORE, type Clock } from '../infrastructure/tokens.js';

/** Reads the district's reference data from its stream, for commands to be checked against. */
@Injectable()
export class Catalogues implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReferenceData');

  /** The catalogue, kept while the invalidation channel is up (a change anywhere drops it). */
  private readonly catalogue: CachedValue<Catalogue>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    invalidations: Invalidations,
  ) {
    this.catalogue = new CachedValue(invalidations, 'reference', () =>
      readState(store, referenceDecider, REFERENCE_STREAM_ID).then(({ state }) =>
        catalogueOf(state),
      ),
    );
  }

  current(): Promise<Catalogue> {
    return this.catalogue.current();
  }

  /** After a change to the reference stream: every process reads it afresh. */
  changed(): Promise<void> {
    return this.catalogue.changed();
  }

  /** A new installation gets Longgang's streets, departments and categories, through the commands. */
  async onApplicationBootstrap(): Promise<void> {
    const { version } = await this.store.readStream(REFERENCE_STREAM_ID);
    if (version >= 0) return;
    for (const kind of REFERENCE_KINDS) {
      for (const [code, name] of LONGGANG_DEFAULTS[kind]) {
        const now = this.clock.now();
        // Fixed command ids: two replicas starting at once define each entry once.
        await handleCommand(
          this.store,
          referenceDecider,
          REFERENCE_STREAM_ID,
          { type: 'DefineReference', data: { kind, code, name } },
          {
            commandId: `bootstrap:${kind}:${code}`,
            actor: 'system',
            correlationId: 'bootstrap',
            now,
          },
        );
      }
    }
    await this.changed();
    this.logger.log('defined the default Longgang streets, departments and categories');
  }
}
