import { assertNever, type Command, type Decider } from '../shared/decider.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { CaseEvent } from '../case/case-events.js';
import { caseDecider, existing, type CaseState } from '../case/case.js';
import { caseClock, readyAlerts } from './case-clock.js';
import { slaTableAt, type SlaPolicyChange } from './policy.js';
import { automaticSupervisionText } from './case-deadlines.js';

/** The clock worker's command: raise the deadline alerts that are due (none, usually). */
export type CheckDeadlines = Command<
  'CheckDeadlines',
  { calendar: WorkingCalendar; policies: readonly SlaPolicyChange[] }
>;

/**
 * The SLA clock's decider over a case stream: the case's own fold (so it sees exactly what
 * the case decider sees), and one command that turns the clock's ready alerts into events —
 * a warning, an overdue alert, and 自动督办 where the policy orders it.
 */
export const deadlineDecider: Decider<CaseState, CheckDeadlines, CaseEvent> = {
  initialState: caseDecider.initialState,
  evolve: caseDecider.evolve,
  decide(command, state): CaseEvent[] {
    switch (command.type) {
      case 'CheckDeadlines': {
        const c = existing(state);
        const at = command.now.toISOString();
        const { calendar, policies } = command.data;
        const clock = caseClock(
          c.history,
          slaTableAt(policies, new Date(c.openedAt)),
          calendar,
          command.now,
        );
        const events: CaseEvent[] = [];
        for (const alert of readyAlerts(clock, calendar, command.now)) {
          const data = { caseId: c.caseId, clock: alert.clock, dueAt: alert.dueAt, at };
          if (alert.stage === 'warning') {
            events.push({ type: 'CaseDeadlineApproaching', data });
            continue;
          }
          events.push({ type: 'CaseOverdue', data });
          // 督办 is ordered on a department: not on a case that has none (new, returned).
          if (
            alert.clock === 'resolution' &&
            clock.policy.autoSuperviseOnOverdue &&
            c.leadDepartment !== null
          ) {
            events.push({
              type: 'CaseSupervisionOrdered',
              data: {
                caseId: c.caseId,
                instructions: automaticSupervisionText(alert.clock, alert.dueAt),
                automatic: true,
                at,
              },
            });
          }
        }
        return events;
      }
      default:
        return assertNever(command.type);
    }
  },
};
