import type { CalendarTable } from '../calendar/working-calendar.js';

/** China's 2026 holidays and make-up working days, as the chinese-days package has them. */
const holidays = `2026-01-01 元旦|2026-01-02 元旦|2026-01-03 元旦|2026-02-15 春节|2026-02-16 春节|2026-02-17 春节|2026-02-18 春节|2026-02-19 春节|2026-02-20 春节|2026-02-21 春节|2026-02-22 春节|2026-02-23 春节|2026-04-04 清明|2026-04-05 清明|2026-04-06 清明|2026-05-01 劳动节|2026-05-02 劳动节|2026-05-03 劳动节|2026-05-04 劳动节|2026-05-05 劳动节|2026-06-19 端午|2026-06-20 端午|2026-06-21 端午|2026-09-25 中秋|2026-09-26 中秋|2026-09-27 中秋|2026-10-01 国庆节|2026-10-02 国庆节|2026-10-03 国庆节|2026-10-04 国庆节|2026-10-05 国庆节|2026-10-06 国庆节|2026-10-07 国庆节`;
const workdays = `2026-01-04 元旦|2026-02-14 春节|2026-02-28 春节|2026-05-09 劳动节|2026-09-20 国庆节|2026-10-10 国庆节`;

const parse = (list: string, working: boolean) =>
  list.split('|').map((entry) => {
    const [date, name] = entry.split(' ');
    return { date: date!, name: name!, working };
  });

export const CALENDAR_2026: CalendarTable = {
  days: [...parse(holidays, false), ...parse(workdays, true)],
  knownYears: [2026],
};
