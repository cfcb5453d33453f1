import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DEFAULT_SLA_POLICY } from '#domain';
import { SlaSettingsCache } from '../../infrastructure/sla-settings.js';
import { CalendarYears } from '../calendar-year/calendar-year.js';
import type { SlaSettingsDto } from '../sla.controller.js';

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export class GetSlaSettingsQuery extends Query<SlaSettingsDto> {}

@QueryHandler(GetSlaSettingsQuery)
export class GetSlaSettingsHandler implements IQueryHandler<GetSlaSettingsQuery> {
  constructor(
    private readonly slaSettings: SlaSettingsCache,
    private readonly years: CalendarYears,
  ) {}
  async execute(): Promise<SlaSettingsDto> {
    const state = await this.slaSettings.current();
    return {
      officeHours: state.calendar.officeHours.map(([start, end]) => `${hhmm(start)}-${hhmm(end)}`),
      knownYears: state.calendar.years,
      importedYears: [...state.years.keys()].sort((a, b) => a - b),
      calendarNotices: await this.years.notices(state.calendar),
      calendarOverrides: [...state.days.values()].sort((a, b) => a.date.localeCompare(b.date)),
      defaultPolicy: DEFAULT_SLA_POLICY,
      policies: [...state.policies],
    };
  }
}
