import type { components } from './schema';

export type Schemas = components['schemas'];
export type CaseRow = Schemas['CaseDto'] & { deadlines?: CaseDeadlines };
export type CaseDetail = Schemas['CaseDetailDto'] & { deadlines?: CaseDeadlines };
export type Visit = Schemas['VisitDto'];
export type Enterprise = Schemas['EnterpriseDto'];
export type Me = Omit<Schemas['MeDto'], 'department' | 'street'> & {
  department?: string | null;
  street?: string | null;
};
export type Role = Me['role'];
export type LogVisitBody = Schemas['LogVisitDto'];

/** The deadlines every case reply carries (CONTRACT.md, the deadlines work of issue 11). */
export interface CaseDeadline {
  dueAt: string | null;
  state: 'running' | 'paused' | 'met' | 'met_late' | 'overdue' | 'not_applicable';
  workingMinutesLeft: number | null;
  warning: 'none' | 'approaching' | 'overdue';
  calendarKnown: boolean;
  metAt?: string | null;
}
export interface CaseDeadlines {
  asOf: string;
  firstResponse: CaseDeadline;
  interimUpdate: CaseDeadline;
  resolution: CaseDeadline;
}
export type Counts = Schemas['CaseCountsDto'] & {
  queues?: {
    overdue: number;
    dueSoon: number;
    paused: number;
    extensionPending: number;
    supervised: number;
  };
};

/** Worklist filters, mirrored in the URL (names as the API's query parameters). */
export interface CaseFilters {
  status?: string;
  q?: string;
  role?: 'lead' | 'co' | 'any';
  sort?: 'due' | 'newest' | 'oldest' | 'recent_activity';
  overdue?: 'firstResponse' | 'interimUpdate' | 'resolution' | 'any';
  dueWithinHours?: string;
  paused?: 'true';
  extensionPending?: 'true';
  supervised?: 'true';
  handled?: 'true';
  department?: string;
  street?: string;
  category?: string;
  priority?: string;
  /** The dashboard's drill-down (GET /cases metric, dimension, key; the period as opened*). */
  metric?: string;
  dimension?: string;
  key?: string;
  openedFrom?: string;
  openedTo?: string;
}
