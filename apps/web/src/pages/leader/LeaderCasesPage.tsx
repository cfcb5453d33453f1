import { useState } from 'react';
import { Alert, Button, Empty, Space, Table, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCaseCounts, useReference, useWorklist } from '../../api/hooks';
import type { CaseFilters, CaseRow } from '../../api/types';
import { caseColumns } from '../../components/caseColumns';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { SuperviseDialog } from '../../components/SuperviseDialog';
import { formatTime } from '../../components/time';
import { CASE_METRICS, type CaseMetric } from './metrics';

type View = 'drill' | 'overdue' | 'supervised';

/**
 * The leader's case lists: the cases behind a dashboard figure (filters in the URL, as the
 * metrics define them), the overdue cases and the cases under 督办, each with one-click 督办.
 */
export function LeaderCasesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const reference = useReference();
  const metric = CASE_METRICS.includes(params.get('metric') as CaseMetric)
    ? (params.get('metric') as CaseMetric)
    : undefined;
  const view: View = metric
    ? 'drill'
    : params.get('view') === 'supervised'
      ? 'supervised'
      : 'overdue';
  const filters = (
    view === 'drill'
      ? {
          metric,
          dimension: params.get('dimension') ?? undefined,
          key: params.get('key') ?? undefined,
          openedFrom: params.get('openedFrom') ?? undefined,
          openedTo: params.get('openedTo') ?? undefined,
          sort: 'oldest',
        }
      : view === 'overdue'
        ? { overdue: 'any' }
        : { supervised: 'true', status: 'new,dispatched,accepted,paused,returned,resolved' }
  ) as CaseFilters;
  const query = useWorklist(filters);
  const counts = useCaseCounts({ ...filters, sort: undefined });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const figure = params.get('figure');
  const total = counts.data?.total;
  const dimension = params.get('dimension');
  const key = params.get('key');
  const keyName =
    dimension === 'lead_department'
      ? key === '-'
        ? t('leader.ranking.undispatchedName')
        : reference.name('department', key)
      : dimension === 'street'
        ? reference.name('street', key)
        : dimension === 'category'
          ? reference.name('category', key)
          : dimension === 'channel'
            ? t(`channel.${key}`, { defaultValue: key ?? '' })
            : dimension === 'visit_level'
              ? t(`level.${key}`, { defaultValue: key ?? '' })
              : t('leader.district');
  const [supervising, setSupervising] = useState<CaseRow | null>(null);

  return (
    <div className="leader-page">
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {view === 'drill'
          ? t('leader.drill.title', {
              who: keyName,
              period:
                params.get('label') ?? `${params.get('openedFrom')}~${params.get('openedTo')}`,
              metric: t(`leader.metric.${metric}`),
            })
          : t(`leader.lists.${view}`)}
      </Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Link to="/leader">{t('leader.back')}</Link>
        {view !== 'drill' && (
          <Tabs
            activeKey={view}
            onChange={(v) => setParams(new URLSearchParams({ view: v }))}
            items={(['overdue', 'supervised'] as const).map((v) => ({
              key: v,
              label: t(`leader.lists.${v}`),
            }))}
          />
        )}
      </Space>
      {view === 'drill' && (
        <Typography.Paragraph type="secondary">
          {t(`leader.metricHelp.${metric}`)}
        </Typography.Paragraph>
      )}
      <Typography.Paragraph>
        <span data-testid="list-total" style={{ fontSize: 18, fontWeight: 600 }}>
          {t('leader.total', { n: total ?? '…' })}
        </span>
      </Typography.Paragraph>
      {figure !== null && total !== undefined && String(total) !== figure && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('leader.drill.moved', { figure, total })}
        />
      )}
      <ErrorAlert error={query.error ?? counts.error} onReload={() => void query.refetch()} />
      <Table<CaseRow>
        rowKey="id"
        loading={query.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('common.empty')} /> }}
        columns={[
          ...caseColumns(t, (code) => reference.name('category', code)),
          {
            title: t('case.lead'),
            render: (_, c) => reference.name('department', c.leadDepartment),
          },
          { title: t('case.openedAt'), render: (_, c) => formatTime(c.openedAt) },
          {
            title: t('leader.supervise.column'),
            render: (_, c) =>
              c.status === 'closed' || c.status === 'withdrawn' ? null : (
                <Button onClick={() => setSupervising(c)} style={{ minHeight: 44 }}>
                  {t('leader.supervise.button')}
                  {c.supervisedCount > 0 ? ` (${c.supervisedCount})` : ''}
                </Button>
              ),
          },
        ]}
      />
      <LoadMore {...query} shown={items.length} />
      <SuperviseDialog row={supervising} onClose={() => setSupervising(null)} />
    </div>
  );
}
