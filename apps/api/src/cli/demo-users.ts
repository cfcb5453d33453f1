import type { INestApplicationContext } from '@nestjs/common';
import { AccountErrors, DomainError, type Role } from '#domain';
import { Accounts } from '../auth/accounts.js';
import { generatePassword } from '../auth/passwords.js';
import { CLOCK, type Clock } from '../infrastructure/tokens.js';
import type { DemoPeople, SeedActor } from './demo-district.js';

const DEMO: {
  role: Role;
  username: string;
  displayName: string;
  department?: string;
  street?: string;
}[] = [
  {
    role: 'officer',
    username: 'demo.officer',
    displayName: '李干事 (坂田街道)',
    street: 'bantian',
  },
  { role: 'dispatcher', username: 'demo.dispatcher', displayName: '王分拨 (企业服务中心)' },
  {
    role: 'handler',
    username: 'demo.handler',
    displayName: '赵工 (供电局)',
    department: 'power_supply',
  },
  { role: 'leader', username: 'demo.leader', displayName: '陈主任' },
  { role: 'admin', username: 'demo.admin', displayName: '系统管理员' },
];

const actorOf = (u: (typeof DEMO)[number], userId: string): SeedActor => ({
  userId,
  username: u.username,
  displayName: u.displayName,
  role: u.role as SeedActor['role'],
  department: u.department ?? null,
  street: u.street ?? null,
});

/** The demo accounts that act in the seeded history as themselves. */
export const demoPeople = (users: Awaited<ReturnType<typeof createDemoUsers>>): DemoPeople =>
  Object.fromEntries(
    users.filter((u) => u.role !== 'admin' && u.actor.userId).map((u) => [u.role, u.actor]),
  ) as DemoPeople;

/**
 * One account per role for the demo district, each with a generated password returned
 * here to be printed once (nothing is stored in the clear, and a rerun changes nothing).
 */
export async function createDemoUsers(app: INestApplicationContext, at?: Date) {
  const accounts = app.get(Accounts);
  const clock = app.get<Clock>(CLOCK);
  const out: {
    role: Role;
    username: string;
    password: string | null;
    place: string;
    /** The account as it acts in the demo history. */
    actor: SeedActor;
  }[] = [];
  for (const u of DEMO) {
    const password = generatePassword();
    const place = u.department
      ? `department ${u.department}`
      : u.street
        ? `street ${u.street}`
        : '';
    try {
      const { result, userId } = await accounts.create(
        { ...u, department: u.department ?? null, street: u.street ?? null, password },
        {
          commandId: `demo-user:${u.username}`,
          actor: 'system:seed',
          correlationId: 'seed',
          now: at ?? clock.now(),
        },
        { mustChangePassword: false },
      );
      // A rerun replays the first creation: the password just generated was not stored.
      out.push({
        role: u.role,
        username: u.username,
        password: result.replayed ? null : password,
        place,
        actor: actorOf(u, userId),
      });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === AccountErrors.alreadyExists))
        throw error;
      const userId = String(error.details?.userId ?? '');
      out.push({
        role: u.role,
        username: u.username,
        password: null,
        place,
        actor: actorOf(u, userId),
      });
    }
  }
  return out;
}
