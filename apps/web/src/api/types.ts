import type { components } from './schema';

export type Schemas = components['schemas'];
export type CaseRow = Schemas['CaseDto'];
export type CaseDetail = Schemas['CaseDetailDto'];
export type Visit = Schemas['VisitDto'];
export type Enterprise = Schemas['EnterpriseDto'];
export type Me = Omit<Schemas['MeDto'], 'department' | 'street'> & {
  department?: string | null;
  street?: string | null;
};
export type Role = Me['role'];
export type LogVisitBody = Schemas['LogVisitDto'];

/** The deadlines every case reply carries (CONTRACT.md, the deadlines work of issue 11). */
export type CaseDeadline = Schemas['CaseDeadlineDto'];
export type CaseDeadlines = Schemas['CaseDeadlinesDto'];
export type Counts = Schemas['CaseCountsDto'];

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
