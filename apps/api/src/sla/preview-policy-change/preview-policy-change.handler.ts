import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import {
  contributionsOf,
  METRIC_COUNTERS,
  ratesOf,
  slaOf,
  slaSettingsDecider,
  zeroCounters,
  type Catalogue,
  type CaseFacts,
  type CaseSla,
  type MetricCounters,
  type SlaPolicyChange,
  type SlaPolicySet,
  type SlaPolicySettings,
} from '#domain';
import type { EventStore } from '#event-store';
import { monthCellCounters } from '#read-model';
import { currentSlaSettings } from '#workers';
import { CLOCK, EVENT_STORE, type Clock } from '../../infrastructure/tokens.js';
import {
  PREVIEW_RATES,
  type MetricCellChangeDto,
  type PolicyDeadlineMoveDto,
  type PolicyPreviewCaseDto,
  type PolicyPreviewDto,
} from './preview-policy-change.dto.js';

const PREVIEW_LIMIT = 500;
const CLOCKS = [
  ['firstResponse', 'firstResponseDueAt'],
  ['interimUpdate', 'interimUpdateDueAt'],
  ['resolution', 'resolutionDueAt'],
] as const;

export class PreviewPolicyChangeQuery extends Query<PolicyPreviewDto> {
  constructor(
    readonly change: { key: string; policy: SlaPolicySettings; effectiveFrom: string },
    readonly catalogue: Catalogue,
  ) {
    super();
  }
}

/**
 * A dry run of POST /sla/policies: the change decided on the settings as they stand (so it
 * is refused exactly as the real one would be), then every case it covers derived again
 * with the same domain functions the case_sla projection uses (`slaOf`, `contributionsOf`),
 * before and after. Nothing is appended.
 */
@QueryHandler(PreviewPolicyChangeQuery)
export class PreviewPolicyChangeHandler implements IQueryHandler<PreviewPolicyChangeQuery> {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ change, catalogue }: PreviewPolicyChangeQuery): Promise<PolicyPreviewDto> {
    const now = this.clock.now();
    const settings = await currentSlaSettings(this.store);
    const [event] = slaSettingsDecider.decide(
      { type: 'SetSlaPolicy', data: { ...change, catalogue }, now },
      settings,
    ) as [SlaPolicySet];
    const { key, policy, effectiveFrom } = event.data;
    const before: readonly SlaPolicyChange[] = settings.policies;
    const after: readonly SlaPolicyChange[] = [...before, { key, policy, effectiveFrom }];

    // The cases the projection re-derives for this change (as in case-sla.projection.ts).
    const [category, priority] = key.split('/');
    const rows = (await this.dataSource.query(
      `SELECT s.case_id, s.facts, c.enterprise_name, c.status, c.lead_department
       FROM case_sla s LEFT JOIN case_view c ON c.id::text = s.case_id
       WHERE s.opened_at >= $1 AND ($2 = '*' OR s.facts->>'category' = $2)
         AND ($3 = '*' OR s.facts->>'priority' = $3)
       ORDER BY s.case_id`,
      [effectiveFrom, category, priority],
    )) as {
      case_id: string;
      facts: CaseFacts;
      enterprise_name: string | null;
      status: string | null;
      lead_department: string | null;
    }[];

    const moved: PolicyPreviewCaseDto[] = [];
    let changingFigures = 0;
    /** month\0dimension\0key → counter deltas */
    const deltas = new Map<string, MetricCounters>();
    const add = (facts: CaseFacts, sla: CaseSla, sign: 1 | -1) => {
      for (const cell of contributionsOf(facts, sla)) {
        const id = `${cell.day.slice(0, 7)}\u0000${cell.dimension}\u0000${cell.key}`;
        const delta = deltas.get(id) ?? zeroCounters();
        for (const c of METRIC_COUNTERS) delta[c] += sign * cell.counters[c];
        deltas.set(id, delta);
      }
    };
    for (const row of rows) {
      const old = slaOf(row.facts, settings.calendar, before);
      const next = slaOf(row.facts, settings.calendar, after);
      const changes: PolicyDeadlineMoveDto[] = CLOCKS.filter(([, f]) => old[f] !== next[f]).map(
        ([clock, f]) => ({ clock, oldDueAt: old[f], newDueAt: next[f] }),
      );
      if (changes.length)
        moved.push({
          caseId: row.case_id,
          enterpriseName: row.enterprise_name ?? '',
          status: row.status ?? row.facts.status,
          leadDepartment: row.lead_department ?? row.facts.leadDepartment ?? null,
          openedAt: row.facts.openedAt,
          changes,
        });
      const was = JSON.stringify(contributionsOf(row.facts, old));
      if (was !== JSON.stringify(contributionsOf(row.facts, next))) {
        changingFigures++;
        add(row.facts, old, -1);
        add(row.facts, next, 1);
      }
    }

    const changed = [...deltas].filter(([, d]) => METRIC_COUNTERS.some((c) => d[c] !== 0));
    const cells: MetricCellChangeDto[] = [];
    if (changed.length) {
      const ids = changed.map(([id]) => id.split('\u0000') as [string, string, string]);
      const current = await monthCellCounters(
        this.dataSource,
        ids.map(([month, dimension, key]) => ({ month, dimension, key })),
      );
      const stored = new Map(
        current.map((r) => [`${r.month}\u0000${r.dimension}\u0000${r.key}`, r]),
      );
      for (const [id, delta] of changed) {
        const [month, dimension, cellKey] = id.split('\u0000') as [string, string, string];
        const was = zeroCounters();
        const row = stored.get(id);
        for (const c of METRIC_COUNTERS) was[c] = row ? Number(row[c]) : 0;
        const will = zeroCounters();
        for (const c of METRIC_COUNTERS) will[c] = was[c] + delta[c];
        const rates = [ratesOf(was), ratesOf(will)] as const;
        cells.push({
          month,
          dimension,
          key: cellKey,
          counters: METRIC_COUNTERS.filter((c) => delta[c] !== 0).map((c) => ({
            counter: c,
            before: was[c],
            after: will[c],
          })),
          rates: PREVIEW_RATES.filter((r) => rates[0][r] !== rates[1][r]).map((r) => ({
            rate: r,
            before: rates[0][r],
            after: rates[1][r],
          })),
        });
      }
      cells.sort(
        (a, b) =>
          a.month.localeCompare(b.month) ||
          a.dimension.localeCompare(b.dimension) ||
          a.key.localeCompare(b.key),
      );
    }

    return {
      key,
      effectiveFrom,
      retroactive: Date.parse(effectiveFrom) < now.getTime(),
      asOf: now.toISOString(),
      casesCovered: rows.length,
      casesMoved: moved.length,
      casesChangingFigures: changingFigures,
      cases: moved.slice(0, PREVIEW_LIMIT),
      truncated: moved.length > PREVIEW_LIMIT,
      cells,
    };
  }
}
