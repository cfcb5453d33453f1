import {
  assertNever,
  type Command,
  type Decider,
  type Event,
  type MultiStreamDecider,
} from '../shared/decider.js';
import { conflict, invalid } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import { isCalendarDate } from '../shared/dates.js';
import { EnterpriseErrors } from '../enterprise/enterprise.js';
import type { Catalogue } from '../reference/reference-data.js';
import { shenzhenDate } from '../shared/shenzhen-time.js';
import type { VisitLevel } from '../shared/visit-level.js';
import { caseStreamId, type CaseEvent, type CasePriority } from '../case/case-events.js';
import { caseDecider, type EnterpriseFacts } from '../case/case.js';

export const visitStreamId = (visitId: string) => `visit-${visitId}`;

export interface ProblemRaised {
  /** The id the case opened for this problem gets. */
  caseId: string;
  category: string;
  description: string;
  priority: CasePriority;
}

export type LogVisit = Command<
  'LogVisit',
  {
    visitId: string;
    enterprise: EnterpriseFacts | null;
    /** YYYY-MM-DD, the day of the visit in Shenzhen. */
    visitedOn: string;
    level: VisitLevel;
    officers: string[];
    leaders: string[];
    summary: string;
    problems: ProblemRaised[];
    catalogue: Catalogue;
  }
>;
export type VisitCommand = LogVisit;

export type VisitLogged = Event<
  'VisitLogged',
  {
    visitId: string;
    enterpriseId: string;
    enterpriseName: string;
    street: string;
    visitedOn: string;
    level: VisitLevel;
    officers: string[];
    leaders: string[];
    summary: string;
    caseIds: string[];
    at: string;
  }
>;
export type VisitEvent = VisitLogged;
export const VISIT_EVENT_TYPES: readonly VisitEvent['type'][] = ['VisitLogged'];

export type VisitState = { status: 'none' } | { status: 'logged'; visitId: string };

export const VisitErrors = {
  alreadyLogged: 'VISIT.ALREADY_LOGGED',
  invalidDate: 'VISIT.INVALID_DATE',
  invalidPeople: 'VISIT.INVALID_PEOPLE',
  invalidText: 'VISIT.INVALID_TEXT',
  tooManyProblems: 'VISIT.TOO_MANY_PROBLEMS',
} as const;

const people = (names: string[], field: string) =>
  names.map((n, i) => requireText(n, `${field}[${i}]`, VisitErrors.invalidPeople, { max: 50 }));

export const visitDecider: Decider<VisitState, VisitCommand, VisitEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'LogVisit': {
        const d = command.data;
        if (state.status !== 'none')
          throw conflict(VisitErrors.alreadyLogged, `Visit ${d.visitId} is already logged`);
        if (!d.enterprise)
          throw invalid(
            EnterpriseErrors.notFound,
            'enterpriseId names no registered enterprise',
            'enterpriseId',
          );
        const today = shenzhenDate(command.now);
        if (!isCalendarDate(d.visitedOn) || d.visitedOn > today) {
          throw invalid(
            VisitErrors.invalidDate,
            `visitedOn must be a date (YYYY-MM-DD) no later than today (${today})`,
            'visitedOn',
          );
        }
        const officers = people(d.officers, 'officers');
        if (officers.length === 0)
          throw invalid(
            VisitErrors.invalidPeople,
            'officers must name at least one officer',
            'officers',
          );
        if (d.problems.length > 20)
          throw invalid(
            VisitErrors.tooManyProblems,
            'problems may list at most 20 problems per visit',
            'problems',
          );
        return [
          {
            type: 'VisitLogged',
            data: {
              visitId: d.visitId,
              enterpriseId: d.enterprise.enterpriseId,
              enterpriseName: d.enterprise.name,
              street: d.enterprise.street,
              visitedOn: d.visitedOn,
              level: d.level,
              officers,
              leaders: people(d.leaders, 'leaders'),
              summary: requireText(d.summary, 'summary', VisitErrors.invalidText, { max: 4000 }),
              caseIds: d.problems.map((p) => p.caseId),
              at: command.now.toISOString(),
            },
          },
        ];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'VisitLogged':
        return { status: 'logged', visitId: event.data.visitId };
      default:
        return assertNever(event.type);
    }
  },
};

/**
 * A visit and the cases its problems open, decided together: the visit's events and, for
 * each problem, the events of a new case (channel `visit`). The caller stores them in one
 * transaction, so a visit never exists without its cases or the other way round.
 */
export function decideVisit(
  command: LogVisit,
  state: VisitState,
): { visit: VisitEvent[]; cases: { caseId: string; events: CaseEvent[] }[] } {
  const visit = visitDecider.decide(command, state);
  const cases = command.data.problems.map((problem, index) => {
    try {
      return {
        caseId: problem.caseId,
        events: caseDecider.decide(
          {
            type: 'OpenCase',
            data: {
              caseId: problem.caseId,
              enterprise: command.data.enterprise,
              category: problem.category,
              channel: 'visit',
              priority: problem.priority,
              description: problem.description,
              visitId: command.data.visitId,
              visitLevel: command.data.level,
              catalogue: command.data.catalogue,
            },
            now: command.now,
          },
          caseDecider.initialState(),
        ),
      };
    } catch (error) {
      // Name the problem the refusal is about: problems[2].category.
      if (error instanceof Error && 'field' in error && typeof error.field === 'string') {
        Object.assign(error, { field: `problems[${index}].${error.field}` });
        error.message = `problems[${index}].${error.message}`;
      }
      throw error;
    }
  });
  return { visit, cases };
}

/**
 * Logging a visit as one multi-stream command: the visit's stream and a new stream per
 * problem raised, written together or not at all.
 */
export const visitWithCasesDecider: MultiStreamDecider<VisitState, LogVisit, VisitEvent> = {
  initialState: visitDecider.initialState,
  evolve: visitDecider.evolve,
  decide(command, state) {
    const { visit, cases } = decideVisit(command, state);
    return [
      { streamId: visitStreamId(command.data.visitId), events: visit },
      ...cases.map((c) => ({ streamId: caseStreamId(c.caseId), events: c.events })),
    ];
  },
};
