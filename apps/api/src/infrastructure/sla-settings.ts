import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#event-store';
import { currentSlaSettings } from '#workers';
import { Invalidations } from './invalidations.js';
import { EVENT_STORE } from './tokens.js';

export type SlaSettings = Awaited<ReturnType<typeof currentSlaSettings>>;

/**
 * The SLA settings (working calendar, policies) as their stream stands, folded once per
 * process and kept while the invalidation channel is up: a change in any process (the SLA
 * settings command handler calls `changed`) drops every process's copy before it is
 * answered, as for the reference catalogue. Callers must not mutate what they get.
 */
@Injectable()
export class SlaSettingsCache {
  private cached: Promise<SlaSettings> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly invalidations: Invalidations,
  ) {
    invalidations.on('sla-settings', () => (this.cached = null));
  }

  current(): Promise<SlaSettings> {
    if (this.cached && this.invalidations.live) return this.cached;
    const live = this.invalidations.live;
    const reading = currentSlaSettings(this.store);
    if (live) {
      this.cached = reading;
      reading.catch(() => {
        if (this.cached === reading) this.cached = null;
      });
    }
    return reading;
  }

  /** After a change to the SLA settings stream: every process reads it afresh. */
  async changed(): Promise<void> {
    this.cached = null;
    await this.invalidations.publish('sla-settings', '*');
  }
}
