import { randomUUID } from 'node:crypto';
import {
  caseDecider,
  caseStreamId,
  enterpriseDecider,
  enterpriseStreamId,
  type CaseCommand,
  type Command,
  type Decider,
  type Event,
} from '#domain';
import {
  handleCommand,
  type CommandRequest,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { aCatalogue, aCreditCode } from '../../libs/domain/src/testing/builders.js';

const catalogue = aCatalogue();
let clock = Date.parse('2026-11-02T01:00:00Z');

/** Runs a command through the generic handler at a clock that moves a minute each time. */
export function run<S, C extends Command, E extends Event>(
  store: EventStore,
  decider: Decider<S, C, E>,
  streamId: string,
  command: CommandRequest<C>,
): Promise<CommandResult> {
  clock += 60_000;
  const now = new Date(clock);
  return handleCommand(store, decider, streamId, command, {
    commandId: randomUUID(),
    actor: 'test',
    correlationId: randomUUID(),
    now,
  });
}

export async function registerEnterprise(store: EventStore, n: number) {
  const creditCode = aCreditCode(n);
  const name = `企业${n}`;
  const street = ['pinghu', 'bantian', 'buji'][n % 3]!;
  await run(store, enterpriseDecider, enterpriseStreamId(creditCode), {
    type: 'RegisterEnterprise',
    data: { creditCode, name, street, catalogue },
  });
  return { enterpriseId: creditCode, name, street, archived: false };
}

/** Opens a case and walks it `steps` steps along new → dispatched → accepted → responded → resolved → called back → closed. */
export async function caseWithHistory(
  store: EventStore,
  enterprise: Awaited<ReturnType<typeof registerEnterprise>>,
  steps: number,
): Promise<CommandResult> {
  const caseId = randomUUID();
  const path: Omit<CaseCommand, 'now'>[] = [
    {
      type: 'OpenCase',
      data: {
        caseId,
        enterprise,
        category: 'financing',
        channel: 'hotline',
        priority: 'normal',
        description: '设备贷款',
        catalogue,
      },
    },
    {
      type: 'DispatchCase',
      data: { leadDepartment: 'finance', coDepartments: ['industry_it'], catalogue },
    },
    { type: 'AcceptCase', data: {} },
    { type: 'RecordFirstResponse', data: { message: '已回应' } },
    { type: 'ResolveCase', data: { resolution: '已办结', outcome: 'solved' } },
    { type: 'RecordCallback', data: { satisfaction: 'satisfied', comment: '满意' } },
    { type: 'CloseCase', data: {} },
  ];
  let last!: CommandResult;
  for (const command of path.slice(0, 1 + steps))
    last = await run(store, caseDecider, caseStreamId(caseId), command as never);
  return last;
}
