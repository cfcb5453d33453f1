import { Badge, Empty, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCaseCounts, useMe, useReference, useWorklist } from '../../api/hooks';
import type { CaseDeadlines, CaseFilters, CaseRow, Counts } from '../../api/types';
import { DeadlineBadge } from '../../components/DeadlineBadge';
import { caseColumns } from '../../components/caseColumns';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PriorityTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time';

const OPEN = 'dispatched,accepted,paused';
type Tab =
  'all' | 'overdue' | 'dueSoon' | 'paused' | 'extension' | 'supervised' | 'handled' | 'callback';
const TABS: Tab[] = [
  'all',
  'overdue',
  'dueSoon',
  'paused',
  'extension',
  'supervised',
  'handled',
  'callback',
];
/** 待回访 (resolved, waiting for the callback and the close) is the service centre's queue. */
const tabsFor = (role: string | undefined): Tab[] =>
  TABS.filter((tab) => (tab === 'callback' ? role === 'dispatcher' : true));

/** A tab's filters on top of the shared ones (CONTRACT.md's worklist filters). */
function tabFilters(tab: Tab): CaseFilters {
  switch (tab) {
    case 'overdue':
      return { overdue: 'any' };
    case 'dueSoon':
      return { dueWithinHours: '4' };
    case 'paused':
      return { paused: 'true' };
    case 'extension':
      return { extensionPending: 'true' };
    case 'supervised':
      return { supervised: 'true', status: OPEN };
    case 'handled':
      return { handled: 'true' };
    case 'callback':
      return { status: 'resolved' };
    default:
      return { status: OPEN };
  }
}

function tabCount(tab: Tab, counts: Counts | undefined): number | undefined {
  if (!counts) return undefined;
  const q = counts.queues;
  switch (tab) {
    case 'all':
      return OPEN.split(',').reduce((n, s) => n + (counts.byStatus[s] ?? 0), 0);
    case 'overdue':
      return q?.overdue;
    case 'dueSoon':
      return q?.dueSoon;
    case 'paused':
      return q?.paused ?? counts.byStatus.paused;
    case 'extension':
      return q?.extensionPending;
    case 'supervised':
      return q?.supervised;
    case 'callback':
      return counts.byStatus.resolved ?? 0;
    default:
      return undefined;
  }
}

/** The clock that matters now: the first response until it is met, then the resolution. */
export function currentClock(d: CaseDeadlines | undefined) {
  if (!d) return undefined;
  const first = d.firstResponse;
  if (first.state === 'running' || first.state === 'overdue' || first.state === 'paused') {
    return { key: 'firstResponse' as const, deadline: first };
  }
  return { key: 'resolution' as const, deadline: d.resolution };
}

/** The department's worklist: what is due first on top, tabs with counts, filters in the URL. */
export function WorklistPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const reference = useReference();
  const tab = (TABS.includes(params.get('tab') as Tab) ? params.get('tab') : 'all') as Tab;
  const shared: CaseFilters = {
    q: params.get('q') ?? undefined,
    role: (params.get('role') as CaseFilters['role']) ?? undefined,
    sort: (params.get('sort') as CaseFilters['sort']) ?? undefined,
    category: params.get('category') ?? undefined,
    priority: params.get('priority') ?? undefined,
  };
  const query = useWorklist({ ...shared, ...tabFilters(tab) });
  const counts = useCaseCounts({
    q: shared.q,
    role: shared.role,
    category: shared.category,
    priority: shared.priority,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: key === 'q' });
  };
  const myDepartment = me.data?.department;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('worklist.title')}
        {myDepartment ? ` · ${reference.name('department', myDepartment)}` : ''}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => set('tab', key === 'all' ? undefined : key)}
        items={tabsFor(me.data?.role).map((key) => {
          const n = tabCount(key, counts.data);
          return {
            key,
            label: (
              <span>
                {t(`worklist.tabs.${key}`)}
                {n !== undefined && (
                  <Badge
                    count={n}
                    showZero
                    overflowCount={9999}
                    color={
                      key === 'overdue' ? '#cf1322' : key === 'dueSoon' ? '#ad4e00' : '#595959'
                    }
                    style={{ marginInlineStart: 6 }}
                  />
                )}
              </span>
            ),
          };
        })}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          defaultValue={shared.q}
          placeholder={t('worklist.search')}
          aria-label={t('worklist.search')}
          onSearch={(v) => set('q', v.trim() || undefined)}
          style={{ width: 260 }}
        />
        <Select
          aria-label={t('worklist.sort.due')}
          value={shared.sort ?? 'due'}
          onChange={(v) => set('sort', v === 'due' ? undefined : v)}
          style={{ width: 140 }}
          options={(['due', 'newest', 'oldest', 'recent_activity'] as const).map((s) => ({
            value: s,
            label: t(`worklist.sort.${s}`),
          }))}
        />
        {me.data?.role === 'handler' && (
          <Select
            aria-label={t('worklist.roleFilter.any')}
            value={shared.role ?? 'any'}
            onChange={(v) => set('role', v === 'any' ? undefined : v)}
            style={{ width: 140 }}
            options={(['any', 'lead', 'co'] as const).map((r) => ({
              value: r,
              label: t(`worklist.roleFilter.${r}`),
            }))}
          />
        )}
        <Select
          allowClear
          aria-label={t('case.category')}
          placeholder={t('case.category')}
          value={shared.category}
          onChange={(v) => set('category', v)}
          style={{ width: 160 }}
          options={reference.options('category')}
        />
      </Space>
      <ErrorAlert error={query.error} onReload={() => void query.refetch()} />
      <Table<CaseRow>
        rowKey="id"
        loading={query.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('common.empty')} /> }}
        columns={[
          {
            title: t('case.deadlines'),
            width: 230,
            render: (_, c) => {
              const clock = currentClock(c.deadlines);
              return (
                <DeadlineBadge
                  deadline={clock?.deadline}
                  label={clock ? t(`deadline.${clock.key}`) : undefined}
                  testId="countdown"
                />
              );
            },
          },
          ...caseColumns(t, (code) => reference.name('category', code)),
          {
            title: t('case.lead'),
            render: (_, c) =>
              myDepartment && c.coDepartments.includes(myDepartment) ? (
                <Tag>{t('worklist.co')}</Tag>
              ) : (
                reference.name('department', c.leadDepartment)
              ),
          },
          { title: t('case.priority'), render: (_, c) => <PriorityTag priority={c.priority} /> },
          { title: t('case.openedAt'), render: (_, c) => formatTime(c.openedAt) },
        ]}
      />
      <LoadMore {...query} shown={items.length} />
    </>
  );
}
