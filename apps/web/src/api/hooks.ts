import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  keepPreviousData,
} from '@tanstack/react-query';
import { api, newIdempotencyKey, sendCommand, unwrap } from './client';
import type {
  CaseDetail,
  CaseFilters,
  CaseRow,
  Counts,
  Enterprise,
  Me,
  Schemas,
  Visit,
} from './types';
import { useSession } from '../auth/useSession';

const PAGE = 20;

/**
 * Who is signed in and the reference data are kept in localStorage too, so the app started
 * offline (the basement) still knows the role, the categories and the streets.
 */
function remembered<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(`saolou.cache.${key}`);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}
function remember<T>(key: string, value: T): T {
  try {
    localStorage.setItem(`saolou.cache.${key}`, JSON.stringify(value));
  } catch {
    // storage full or disabled: the cache is only a convenience
  }
  return value;
}
/** Who signed in last on this browser, as last known (before GET /auth/me has answered). */
export const rememberedMe = (): Me | undefined => remembered<Me>('me');
export function forgetCachedUser(): void {
  localStorage.removeItem('saolou.cache.me');
}

function clean<T extends object>(filters: T): T {
  return Object.fromEntries(
    Object.entries(filters).filter(([, v]) => v !== undefined && v !== ''),
  ) as T;
}

export function useMe() {
  const session = useSession();
  return useQuery({
    queryKey: ['me', session?.accessToken ? 'in' : 'out'],
    enabled: Boolean(session),
    queryFn: async () => remember('me', (await unwrap(api.GET('/api/v1/auth/me'))) as Me),
    initialData: () => remembered<Me>('me'),
    initialDataUpdatedAt: 0,
    staleTime: 5 * 60_000,
  });
}

/** Streets, departments and categories: code → name, active ones listed for choices. */
export function useReference() {
  const query = useQuery({
    queryKey: ['reference'],
    queryFn: async () => remember('reference', await unwrap(api.GET('/api/v1/reference'))),
    initialData: () => remembered<Schemas['ReferenceEntryDto'][]>('reference'),
    initialDataUpdatedAt: 0,
    staleTime: 30 * 60_000,
  });
  const entries = query.data ?? [];
  const names = new Map(entries.map((e) => [`${e.kind}:${e.code}`, e.name]));
  return {
    ...query,
    name: (kind: 'street' | 'department' | 'category', code: string | null | undefined) =>
      code ? (names.get(`${kind}:${code}`) ?? code) : '',
    options: (kind: 'street' | 'department' | 'category') =>
      entries
        .filter((e) => e.kind === kind && e.active)
        .map((e) => ({ value: e.code, label: e.name })),
  };
}

export function useEnterprises(q: string) {
  return useInfiniteQuery({
    queryKey: ['enterprises', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/enterprises', {
          params: { query: clean({ q: q || undefined, cursor: pageParam, limit: PAGE }) },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useEnterprise(id: string | undefined) {
  return useQuery({
    queryKey: ['enterprise', id],
    enabled: Boolean(id),
    queryFn: async () =>
      (await unwrap(
        api.GET('/api/v1/enterprises/{id}', { params: { path: { id: id! } } }),
      )) as Enterprise,
  });
}

export function useVisits() {
  return useInfiniteQuery({
    queryKey: ['visits'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      (await unwrap(
        api.GET('/api/v1/visits', { params: { query: clean({ cursor: pageParam, limit: PAGE }) } }),
      )) as { items: Visit[]; nextCursor: string | null },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** GET /cases with the worklist's filters, page by page with the API's cursor. */
export function useWorklist(filters: CaseFilters) {
  return useInfiniteQuery({
    queryKey: ['cases', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      (await unwrap(
        api.GET('/api/v1/cases', {
          params: { query: clean({ ...filters, cursor: pageParam, limit: PAGE }) as never },
        }),
      )) as { items: CaseRow[]; nextCursor: string | null },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useCaseCounts(filters: CaseFilters) {
  return useQuery({
    queryKey: ['case-counts', filters],
    queryFn: async () =>
      (await unwrap(
        api.GET('/api/v1/cases/counts', { params: { query: clean(filters) as never } }),
      )) as Counts,
    placeholderData: keepPreviousData,
  });
}

export function useDispatchQueue(filters: CaseFilters) {
  return useInfiniteQuery({
    queryKey: ['dispatch-queue', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      (await unwrap(
        api.GET('/api/v1/dispatch-queue', {
          params: { query: clean({ ...filters, cursor: pageParam, limit: PAGE }) as never },
        }),
      )) as { items: CaseRow[]; nextCursor: string | null },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCase(id: string | undefined) {
  return useQuery({
    queryKey: ['case', id],
    enabled: Boolean(id),
    queryFn: async () =>
      (await unwrap(
        api.GET('/api/v1/cases/{id}', { params: { path: { id: id! } } }),
      )) as CaseDetail,
  });
}

export type CaseStep =
  | 'dispatch'
  | 'accept'
  | 'return'
  | 'transfer'
  | 'first-response'
  | 'progress'
  | 'extension'
  | 'extension/approve'
  | 'extension/refuse'
  | 'pause'
  | 'resume'
  | 'resolve'
  | 'callback'
  | 'close'
  | 'comments';

/**
 * One step on a case, sent with If-Match (the version the user looked at: a change by someone
 * else answers 412 instead of being overwritten) and its own Idempotency-Key.
 */
export function useCaseStep(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { step: CaseStep; version: number; body?: object }) =>
      sendCommand(`/api/v1/cases/${encodeURIComponent(id)}/${input.step}`, input.body ?? {}, {
        'if-match': `"${input.version}"`,
        'idempotency-key': newIdempotencyKey(),
      }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['case', id] });
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['case-counts'] });
      void client.invalidateQueries({ queryKey: ['dispatch-queue'] });
      // The figures it moves, the trend's too (kept fresh for 30 s otherwise).
      void client.invalidateQueries({ queryKey: ['metrics'] });
    },
  });
}
