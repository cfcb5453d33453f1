import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ACTIONS, type Action } from '#domain';
import { ErrorDto } from '../http/errors.js';

export const POLICY = 'saolou:policy';

export interface RoutePolicy {
  action: Action;
  /** The route's `:id` names a case (or a visit) that must be within the caller's scope. */
  scope?: 'case' | 'visit';
}

/**
 * The one way a route says who may call it: an action from the domain's access policy
 * (libs/domain/src/account/access.ts). A route without it is refused for everyone, and
 * the authorization matrix test fails.
 */
export function Can(action: Action, options: Omit<RoutePolicy, 'action'> = {}) {
  const roles = ACTIONS[action] as readonly string[];
  const decorators: (ClassDecorator | MethodDecorator)[] = [
    SetMetadata(POLICY, { action, ...options } satisfies RoutePolicy),
  ];
  if (action !== 'public') {
    decorators.push(
      ApiBearerAuth(),
      ApiUnauthorizedResponse({ type: ErrorDto, description: 'AUTH.*: no valid access token' }),
      ApiForbiddenResponse({
        type: ErrorDto,
        description: `ACCESS.DENIED unless the role is one of: ${roles.join(', ')}`,
      }),
    );
  }
  return applyDecorators(...decorators);
}

export const Public = () => Can('public');
