import {
  calendarWithOverrides,
  SLA_SETTINGS_STREAM_ID,
  slaSettingsDecider,
  type SlaSettingsState,
  type WorkingCalendar,
} from '#domain';
import { readState, type EventStore } from '#event-store';
import { baseCalendar } from '#read-model';

/** The SLA settings as their stream stands, and the working calendar they make. */
export async function currentSlaSettings(
  store: Pick<EventStore, 'readStream'>,
): Promise<SlaSettingsState & { calendar: WorkingCalendar }> {
  const { state } = await readState(store, slaSettingsDecider, SLA_SETTINGS_STREAM_ID);
  return {
    ...state,
    calendar: calendarWithOverrides(baseCalendar(), state.days.values(), state.years),
  };
}
