import { assertNever, type Command, type Decider, type Event } from '../shared/decider.js';
import { conflict, invalid } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import { CREDIT_CODE_RULES, creditCodeProblem, normaliseCreditCode } from './credit-code.js';

export const ENTERPRISE_STREAM_TYPE = 'enterprise';
/** An enterprise's identity is its credit code: one stream per legal entity, so a second
 * registration of the same code is a stream conflict, not a race between two look-ups. */
export const enterpriseStreamId = (creditCode: string) => `enterprise-${creditCode}`;

export type RegisterEnterprise = Command<
  'RegisterEnterprise',
  { creditCode: string; name: string; street: string }
>;
export type EnterpriseCommand = RegisterEnterprise;

export type EnterpriseRegistered = Event<
  'EnterpriseRegistered',
  { enterpriseId: string; creditCode: string; name: string; street: string; registeredAt: string }
>;
export type EnterpriseEvent = EnterpriseRegistered;

export type EnterpriseState =
  | { status: 'unregistered' }
  | { status: 'registered'; enterpriseId: string; name: string; street: string };

export const EnterpriseErrors = {
  alreadyRegistered: 'ENTERPRISE.ALREADY_REGISTERED',
  invalidCreditCode: 'ENTERPRISE.INVALID_CREDIT_CODE',
  invalidName: 'ENTERPRISE.INVALID_NAME',
  invalidStreet: 'ENTERPRISE.INVALID_STREET',
  notFound: 'ENTERPRISE.NOT_FOUND',
} as const;

export const enterpriseDecider: Decider<EnterpriseState, EnterpriseCommand, EnterpriseEvent> = {
  initialState: () => ({ status: 'unregistered' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterEnterprise': {
        const creditCode = normaliseCreditCode(command.data.creditCode);
        const problem = creditCodeProblem(creditCode);
        if (problem) {
          throw invalid(
            EnterpriseErrors.invalidCreditCode,
            `creditCode ${CREDIT_CODE_RULES[problem]}`,
            'creditCode',
          );
        }
        if (state.status === 'registered') {
          throw conflict(
            EnterpriseErrors.alreadyRegistered,
            `An enterprise with credit code ${creditCode} is already registered: ${state.name}`,
            { enterpriseId: state.enterpriseId, name: state.name },
          );
        }
        return [
          {
            type: 'EnterpriseRegistered',
            data: {
              enterpriseId: creditCode,
              creditCode,
              name: requireText(command.data.name, 'name', EnterpriseErrors.invalidName, {
                max: 200,
              }),
              street: requireText(command.data.street, 'street', EnterpriseErrors.invalidStreet, {
                max: 50,
              }),
              registeredAt: command.now.toISOString(),
            },
          },
        ];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'EnterpriseRegistered':
        return {
          status: 'registered',
          enterpriseId: event.data.enterpriseId,
          name: event.data.name,
          street: event.data.street,
        };
      default:
        return assertNever(event.type);
    }
  },
};
