import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import {
  ACTIONS,
  authorizeOnCase,
  caseAccess,
  caseDecider,
  caseScopeOf,
  caseStreamId,
  mayTake,
  visitStreamId,
  type Principal,
} from '#domain';
import { readState, type EventStore } from '#event-store';
import { HttpProblem } from '../http/errors.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import { POLICY, type RoutePolicy } from './policy.js';
import { Sessions, type Authenticated } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, set by the AccessGuard on every non-public route. */
    principal?: Authenticated;
  }
}

const READS = new Set(['GET', 'HEAD']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller of a route the AccessGuard let through. */
export function principalOf(request: FastifyRequest): Authenticated {
  if (!request.principal) throw new Error('principalOf on a route without authentication');
  return request.principal;
}

/**
 * The whole of authorization, for every route: the route's action (from @Can) against the
 * caller's role, then — for reads of one case or visit — the caller's reach into it (a step
 * on a case is checked on the case inside its command). Out of reach answers 404 exactly as
 * a missing record does, so existence does not leak.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: Sessions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!policy) {
      // Fail closed: a route nobody gave a policy is nobody's.
      throw new HttpProblem(403, 'ACCESS.NO_POLICY', 'This route has no access policy');
    }
    if (policy.action === 'public') return true;
    const who = await this.sessions.authenticate(request.headers.authorization);
    request.principal = who;
    if (who.mustChangePassword && policy.action !== 'self') {
      throw new HttpProblem(
        403,
        'AUTH.PASSWORD_CHANGE_REQUIRED',
        'Your password was set by an administrator: change it first (POST /api/v1/auth/password)',
      );
    }
    if (!mayTake(who.role, policy.action)) {
      const roles = (ACTIONS[policy.action] as readonly string[]).join(', ');
      throw new HttpProblem(
        403,
        'ACCESS.DENIED',
        `${/^[aeiou]/.test(who.role) ? 'An' : 'A'} ${who.role} may not do this (${policy.action}: ${roles} only)`,
      );
    }
    const id = (request.params as Record<string, string> | undefined)?.id;
    // A malformed id is left to the route's own validation (400).
    if (policy.scope && id !== undefined && UUID.test(id)) {
      if (policy.scope === 'case') {
        // A step on a case is authorized inside its command attempt, by the same policy on
        // the state it appends to (CaseCommandHandler): reading the stream here too would
        // be a second read that decides nothing. Out of reach answers 404 there, exactly as
        // a missing case does. Queries have no later check: this one is theirs.
        if (READS.has(request.method))
          authorizeOnCase(who, policy.action, await this.caseScope(id));
      } else if ((await this.visitReach(who, id)) === 'none') {
        throw new HttpProblem(404, 'VISIT.NOT_FOUND', `Visit ${id} does not exist`);
      }
    }
    return true;
  }

  /** From the case's own stream, not the read model: a case just opened is already in scope. */
  private async caseScope(caseId: string) {
    const { state, events } = await readState(this.store, caseDecider, caseStreamId(caseId));
    return caseScopeOf(state, events[0]?.metadata.actor ?? null);
  }

  private async visitReach(who: Principal, visitId: string) {
    const { events } = await this.store.readStream(visitStreamId(visitId));
    const first = events[0];
    if (!first) return 'none';
    return caseAccess(who, {
      leadDepartment: null,
      coDepartments: [],
      street: (first.data as { street: string }).street,
      openedBy: first.metadata.actor ?? null,
    });
  }
}
