import {
  calendarWithOverrides,
  fold,
  SLA_SETTINGS_STREAM_ID,
  slaSettingsDecider,
  type SlaSettingsEvent,
  type SlaSettingsState,
  type WorkingCalendar,
} from '#domain';
import type { EventStore } from '#event-store';
import { baseCalendar } from './projections/case-sla.projection.js';

/** The SLA settings as their stream stands, and the working calendar they make. */
export async function currentSlaSettings(
  store: Pick<EventStore, 'readStream'>,
): Promise<SlaSettingsState & { calendar: WorkingCalendar }> {
  const { events } = await store.readStream(SLA_SETTINGS_STREAM_ID);
  const state = fold(slaSettingsDecider, events as unknown as SlaSettingsEvent[]);
  return {
    ...state,
    calendar: calendarWithOverrides(baseCalendar(), state.days.values(), state.years),
  };
}
