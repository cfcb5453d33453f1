import type { YearScheduleEntry } from '../sla/sla-settings.js';

/**
 * An illustrative 2027 schedule (the same as samples/calendar-2027.json): the shape of the
 * State Council's notice, not its content — check the real notice before importing a year.
 */
export const SCHEDULE_2027: {
  year: number;
  holidays: YearScheduleEntry[];
  workdays: YearScheduleEntry[];
} = {
  year: 2027,
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-05', to: '2027-02-13' },
    { name: '清明节', from: '2027-04-03', to: '2027-04-05' },
    { name: '劳动节', from: '2027-05-01', to: '2027-05-05' },
    { name: '端午节', dates: ['2027-06-09'] },
    { name: '中秋节', dates: ['2027-09-15'] },
    { name: '国庆节', from: '2027-10-01', to: '2027-10-07' },
  ],
  workdays: [
    { name: '春节调休', dates: ['2027-02-20'] },
    { name: '劳动节调休', dates: ['2027-04-25', '2027-05-08'] },
    { name: '国庆节调休', dates: ['2027-09-26', '2027-10-09'] },
  ],
};
