/**
 * 多层级全覆盖: who led a visit. Shared by visits (which record it) and cases (a case a
 * visit opened remembers it, for the metrics), so neither module imports the other for it.
 */
export const VISIT_LEVELS = ['district_leader', 'department', 'street'] as const;
export type VisitLevel = (typeof VISIT_LEVELS)[number];
