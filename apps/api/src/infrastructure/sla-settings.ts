import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#event-store';
import { currentSlaSettings } from '#workers';
import { CachedValue } from './cached-value.js';
import { Invalidations } from './invalidations.js';
import { EVENT_STORE } from './tokens.js';

export type SlaSettings = Awaited<ReturnType<typeof currentSlaSettings>>;

/**
 * The SLA settings (working calendar, policies) as their stream stands, folded once per
 * process and invalidated across processes as the reference catalogue is: the SLA settings
 * command handler calls `changed` before it answers.
 */
@Injectable()
export class SlaSettingsCache {
  private readonly value: CachedValue<SlaSettings>;

  constructor(@Inject(EVENT_STORE) store: EventStore, invalidations: Invalidations) {
    this.value = new CachedValue(invalidations, 'sla-settings', () => currentSlaSettings(store));
  }

  current(): Promise<SlaSettings> {
    return this.value.current();
  }

  /** After a change to the SLA settings stream: every process reads it afresh. */
  changed(): Promise<void> {
    return this.value.changed();
  }
}
