import { deepStrictEqual, fail } from 'node:assert/strict';
import { DomainError } from '../shared/errors.js';
import type { Command, Decider, Event } from '../shared/decider.js';

/**
 * given / when / then for deciders (after EventSourcing.NodeJS's DeciderSpecification):
 *
 *   spec.given([opened]).when(assign).then([assigned]);
 *   spec.given([]).when(assign).thenThrows('CASE.NOT_FOUND');
 *
 * Plain node:assert, so the domain library stays free of test-framework imports.
 */
export function specificationFor<S, C extends Command, E extends Event>(decider: Decider<S, C, E>) {
  return {
    given(events: readonly E[]) {
      return {
        when(command: C) {
          const run = () =>
            decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: readonly E[]) {
              deepStrictEqual(run(), expected);
            },
            thenThrows(code: string, messageIncludes?: string) {
              try {
                const produced = run();
                fail(`expected ${code}, but the command produced ${JSON.stringify(produced)}`);
              } catch (error) {
                if (!(error instanceof DomainError)) throw error;
                deepStrictEqual(
                  error.code,
                  code,
                  `expected ${code}, got ${error.code}: ${error.message}`,
                );
                if (messageIncludes && !error.message.includes(messageIncludes)) {
                  fail(`message "${error.message}" does not mention "${messageIncludes}"`);
                }
              }
            },
          };
        },
      };
    },
  };
}
