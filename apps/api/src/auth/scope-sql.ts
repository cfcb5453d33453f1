import { caseListScope, type CaseListScope, type Principal } from '#domain';

/**
 * The access policy's list rule (caseListScope) as a SQL condition on a row with a street
 * and the user who made it, and — for cases — lead and co-handling departments. Every list
 * and count of cases or visits goes through it, so a worklist, a count and an enterprise's
 * case history never disagree about what a user may see.
 */
export function scopeCondition(
  who: Principal,
  columns: { street: string; madeBy: string; lead?: string; co?: string },
): { sql: string; params: Record<string, unknown> } {
  const scope: CaseListScope = caseListScope(who);
  switch (scope.kind) {
    case 'all':
      return { sql: 'TRUE', params: {} };
    case 'nothing':
      return { sql: 'FALSE', params: {} };
    case 'department':
      return columns.lead && columns.co
        ? {
            sql: `(${columns.lead} = :scopeDepartment OR :scopeDepartment = ANY(${columns.co}))`,
            params: { scopeDepartment: scope.department },
          }
        : { sql: 'FALSE', params: {} };
    case 'officer':
      return {
        sql: `(${columns.madeBy} = :scopeUser OR ${columns.street} = :scopeStreet)`,
        params: { scopeUser: scope.userId, scopeStreet: scope.street ?? '' },
      };
  }
}

export const CASE_COLUMNS = (alias: string) => ({
  street: `${alias}.street`,
  madeBy: `${alias}.opened_by`,
  lead: `${alias}.lead_department`,
  co: `${alias}.co_departments`,
});

/** Named parameters (`:name`) to positional ones (`$n`), for raw queries. */
export function positional(
  sql: string,
  params: Record<string, unknown>,
  offset: number,
): { sql: string; values: unknown[] } {
  const names = Object.keys(params);
  const text = sql.replace(/:(\w+)/g, (whole, name: string) =>
    names.includes(name) ? `$${offset + names.indexOf(name) + 1}` : whole,
  );
  return { sql: text, values: names.map((n) => params[n]) };
}
