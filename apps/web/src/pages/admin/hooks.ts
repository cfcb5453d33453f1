import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, authFetch, rememberPosition, sendCommand, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Role, Schemas } from '../../api/types';

/** An account as GET /users answers it (the generated type has the nullable fields loose). */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  street: string | null;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  failures: number;
  lockedUntil: string | null;
  createdAt: string;
  lastLoginAt: string | null;
  version: number;
}

export interface PolicySettings {
  resolutionWorkingDays?: number;
  interimUpdateWorkingHours?: number;
  warningWorkingHours?: number;
  autoSuperviseOnOverdue?: boolean;
}
export interface PolicyChange {
  key: string;
  policy: PolicySettings;
  effectiveFrom: string;
}

/** GET /sla as it answers (the generated type has its lists loose). */
export interface SlaSettings {
  officeHours: string[];
  knownYears: number[];
  importedYears: number[];
  calendarNotices: Schemas['CalendarNoticeDto'][];
  calendarOverrides: { date: string; working: boolean; name: string }[];
  defaultPolicy: Required<PolicySettings> & { firstResponse: string };
  policies: PolicyChange[];
}

export type CalendarYear = Schemas['CalendarYearDto'];
export type YearSchedule = Schemas['YearScheduleDto'];
export type YearPreview = Schemas['YearPreviewDto'];
export type PolicyPreview = Schemas['PolicyPreviewDto'];

/**
 * A request the generated paths do not type (the calendar routes declare no path
 * parameters): JSON in and out through authFetch, a refusal as an ApiError.
 */
async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await authFetch(
      new Request(path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  } catch {
    throw new ApiError(0, undefined);
  }
  const json = (await response.json().catch(() => undefined)) as Record<string, unknown>;
  if (!response.ok)
    throw new ApiError(
      response.status,
      json as never,
      Number(response.headers.get('retry-after')) || undefined,
    );
  rememberPosition(json?.position);
  return json as T;
}

/** Accounts in the API's cursor pages (50 at a time), filtered and searched by the server. */
export function useUsers(filter: { role?: Role; status?: 'active' | 'disabled'; q?: string }) {
  return useInfiniteQuery({
    queryKey: ['admin', 'users', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      (await unwrap(
        api.GET('/api/v1/users', {
          params: {
            query: {
              role: filter.role,
              status: filter.status,
              q: filter.q || undefined,
              cursor: pageParam,
              limit: 50,
            },
          },
        }),
      )) as unknown as { items: AdminUser[]; nextCursor: string | null },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export type UserStep =
  | { kind: 'create'; body: Schemas['CreateUserDto'] }
  | { kind: 'assign'; username: string; body: Schemas['AssignmentDto'] }
  | { kind: 'reset'; username: string }
  | { kind: 'unlock'; username: string }
  | { kind: 'disable'; username: string; reason: string }
  | { kind: 'enable'; username: string };

/** One account step; the reply of create and reset carries the password shown once. */
export function useUserStep() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (step: UserStep): Promise<{ id: string; temporaryPassword?: string }> => {
      const path = (username: string, action: string) =>
        `/api/v1/users/${encodeURIComponent(username)}/${action}`;
      switch (step.kind) {
        case 'create':
          return sendCommand<Schemas['UserCreatedDto']>('/api/v1/users', step.body);
        case 'assign':
          return unwrap(
            api.PUT('/api/v1/users/{username}/assignment', {
              params: { path: { username: step.username } },
              body: step.body,
            }),
          );
        case 'reset':
          return sendCommand<Schemas['PasswordResetDto']>(
            path(step.username, 'password-reset'),
            {},
          );
        case 'unlock':
          return sendCommand(path(step.username, 'unlock'), {});
        case 'disable':
          return sendCommand(path(step.username, 'disable'), { reason: step.reason });
        case 'enable':
          return sendCommand(path(step.username, 'enable'), {});
      }
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

export function useReferenceEntries() {
  return useQuery({
    queryKey: ['admin', 'reference'],
    queryFn: () => unwrap(api.GET('/api/v1/reference')),
  });
}

export function useReferenceStep() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      step:
        | { kind: 'define'; of: string; code: string; name: string }
        | { kind: 'rename'; of: string; code: string; name: string }
        | { kind: 'retire'; of: string; code: string },
    ) => {
      const entry = `/api/v1/reference/${step.of}/${encodeURIComponent(step.code)}`;
      switch (step.kind) {
        case 'define':
          return sendCommand(`/api/v1/reference/${step.of}`, { code: step.code, name: step.name });
        case 'rename':
          return send('PUT', `${entry}/name`, { name: step.name });
        case 'retire':
          return sendCommand(`${entry}/retire`, {});
      }
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['admin', 'reference'] });
      void client.invalidateQueries({ queryKey: ['reference'] });
    },
  });
}

export function useSlaSettings() {
  return useQuery({
    queryKey: ['admin', 'sla'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/sla'))) as unknown as SlaSettings,
  });
}

export function usePolicyPreview() {
  return useMutation({
    mutationFn: (body: PolicyChange) =>
      unwrap(api.POST('/api/v1/sla/policies/preview', { body: body as Schemas['SetPolicyDto'] })),
  });
}

export function useSetPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PolicyChange) => sendCommand('/api/v1/sla/policies', body),
    onSettled: () => void client.invalidateQueries({ queryKey: ['admin', 'sla'] }),
  });
}

export function useCalendarYear(year: number) {
  return useQuery({
    queryKey: ['admin', 'calendar', year],
    queryFn: () => send<CalendarYear>('GET', `/api/v1/sla/calendar/years/${year}`),
  });
}

export function useYearImport(year: number) {
  const client = useQueryClient();
  const preview = useMutation({
    mutationFn: (body: YearSchedule) =>
      send<YearPreview>('POST', `/api/v1/sla/calendar/years/${year}/preview`, body),
  });
  const apply = useMutation({
    mutationFn: (body: YearSchedule) => send('PUT', `/api/v1/sla/calendar/years/${year}`, body),
    onSettled: () => void client.invalidateQueries({ queryKey: ['admin'] }),
  });
  return { preview, apply };
}

export function useCalendarDay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      step: { date: string; clear: true } | { date: string; working: boolean; name: string },
    ) =>
      'clear' in step
        ? send('DELETE', `/api/v1/sla/calendar/${step.date}`)
        : send('PUT', `/api/v1/sla/calendar/${step.date}`, {
            working: step.working,
            name: step.name,
          }),
    onSettled: () => void client.invalidateQueries({ queryKey: ['admin'] }),
  });
}
