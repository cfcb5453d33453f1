export const PERIODS = ['day', 'month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIODS)[number];
export const DAY_MS = 86_400_000;
const dateAt = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

export interface Period {
  kind: PeriodKind;
  /** Inclusive, YYYY-MM-DD. */
  from: string;
  /** Exclusive. */
  to: string;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A custom range of whole days, from and to both inclusive (Period.to is exclusive). */
export function rangeOf(from: string, to: string): Period {
  return { kind: 'range', from, to: dateAt(dayMs(to) + DAY_MS), label: `${from}~${to}` };
}

/** The period of a kind that holds a date, and the one before it. */
export function periodOf(kind: Exclude<PeriodKind, 'range'>, date: string): Period {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ymd = (yy: number, mm: number, dd = 1) => {
    const t = new Date(Date.UTC(yy, mm - 1, dd));
    return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  };
  switch (kind) {
    case 'day':
      return { kind, from: date, to: ymd(y, m, d + 1), label: date };
    case 'month':
      return { kind, from: ymd(y, m), to: ymd(y, m + 1), label: `${y}-${pad(m)}` };
    case 'quarter': {
      const q = Math.floor((m - 1) / 3);
      return { kind, from: ymd(y, q * 3 + 1), to: ymd(y, q * 3 + 4), label: `${y}-Q${q + 1}` };
    }
    case 'year':
      return { kind, from: ymd(y, 1), to: ymd(y + 1, 1), label: String(y) };
  }
}

export function previousPeriod(period: Period): Period {
  if (period.kind === 'range') {
    // The as many days just before.
    const days = (dayMs(period.to) - dayMs(period.from)) / DAY_MS;
    return rangeOf(dateAt(dayMs(period.from) - days * DAY_MS), dateAt(dayMs(period.from) - DAY_MS));
  }
  const before = new Date(Date.parse(`${period.from}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);
  return periodOf(period.kind, before);
}
