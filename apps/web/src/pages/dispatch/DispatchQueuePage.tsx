import { useState } from 'react';
import { Button, Empty, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCase, useDispatchQueue, useReference, useWorklist } from '../../api/hooks';
import type { CaseRow } from '../../api/types';
import { caseColumns } from '../../components/caseColumns';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { PriorityTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time';
import { StepDialog } from '../case/StepDialog';
import { DispatchDialog } from './DispatchDialog';

/** The reason of the latest return, from the case's timeline. */
function ReturnReason({ id }: { id: string }) {
  const detail = useCase(id);
  const last = [...(detail.data?.timeline ?? [])].reverse().find((e) => e.type === 'CaseReturned');
  const reason = (last?.data as { reason?: string } | undefined)?.reason;
  return reason ? <span style={{ color: '#a8071a' }}>{reason}</span> : null;
}

type Tab = 'new' | 'returned' | 'dispatched';

/**
 * Dispatched cases the centre may still re-route (改派): a lead department that is not the
 * right one, before or after it accepted. The transfer names the department it leaves.
 */
function DispatchedCases() {
  const { t } = useTranslation();
  const query = useWorklist({ status: 'dispatched,accepted', sort: 'newest' });
  const reference = useReference();
  const [transferring, setTransferring] = useState<CaseRow | null>(null);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <p style={{ color: '#595959' }}>{t('dispatch.dispatchedHint')}</p>
      <ErrorAlert error={query.error} onReload={() => void query.refetch()} />
      <Table<CaseRow>
        rowKey="id"
        loading={query.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: <Empty description={t('common.empty')} /> }}
        columns={[
          ...caseColumns(t, (code) => reference.name('category', code)),
          {
            title: t('dispatch.lead'),
            render: (_, c) => reference.name('department', c.leadDepartment),
          },
          {
            title: t('dispatch.transfer'),
            fixed: 'right' as const,
            render: (_, c) => (
              <Button
                onClick={() => setTransferring(c)}
                style={{ minHeight: 44 }}
                aria-label={t('dispatch.transferCase', { name: c.enterpriseName })}
              >
                {t('dispatch.transfer')}
              </Button>
            ),
          },
        ]}
      />
      <LoadMore {...query} shown={items.length} />
      {transferring && (
        <StepDialog
          caseId={transferring.id}
          version={transferring.version}
          step="transfer"
          title={t('dispatch.transfer')}
          leadDepartment={transferring.leadDepartment}
          onClose={() => setTransferring(null)}
        />
      )}
    </>
  );
}

/** New and returned cases waiting for a lead department, and dispatched ones to re-route. */
export function DispatchQueuePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const tab: Tab = status === 'returned' || status === 'dispatched' ? status : 'new';
  const query = useDispatchQueue({ status: tab === 'dispatched' ? 'new' : tab });
  const reference = useReference();
  const [dispatching, setDispatching] = useState<CaseRow | null>(null);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('dispatch.queueTitle')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'new' ? {} : { status: key })}
        items={[
          { key: 'new', label: t('dispatch.newCases') },
          { key: 'returned', label: t('dispatch.returned') },
          { key: 'dispatched', label: t('dispatch.dispatched') },
        ]}
      />
      {tab === 'dispatched' ? (
        <DispatchedCases />
      ) : (
        <>
          <ErrorAlert error={query.error} onReload={() => void query.refetch()} />
          <Table<CaseRow>
            rowKey="id"
            loading={query.isLoading}
            dataSource={items}
            pagination={false}
            scroll={{ x: 800 }}
            locale={{ emptyText: <Empty description={t('common.empty')} /> }}
            columns={[
              {
                title: t('case.enterprise'),
                render: (_, c) => <Link to={`/cases/${c.id}`}>{c.enterpriseName}</Link>,
              },
              {
                title: t('case.category'),
                render: (_, c) => reference.name('category', c.category),
              },
              { title: t('officer.description'), dataIndex: 'description', ellipsis: true },
              {
                title: t('case.priority'),
                render: (_, c) => <PriorityTag priority={c.priority} />,
              },
              { title: t('case.street'), render: (_, c) => reference.name('street', c.street) },
              { title: t('case.openedAt'), render: (_, c) => formatTime(c.openedAt) },
              ...(tab === 'returned'
                ? [
                    {
                      title: t('dispatch.returnReason'),
                      render: (_: unknown, c: CaseRow) => (
                        <>
                          <Tag color="#9e1068">
                            {t('dispatch.returnedTimes', { n: c.returnedCount })}
                          </Tag>
                          <ReturnReason id={c.id} />
                        </>
                      ),
                    },
                  ]
                : []),
              {
                title: t('dispatch.dispatch'),
                fixed: 'right' as const,
                render: (_, c) => (
                  <Button
                    type="primary"
                    onClick={() => setDispatching(c)}
                    style={{ minHeight: 44 }}
                  >
                    {t('dispatch.dispatch')}
                  </Button>
                ),
              },
            ]}
          />
          <LoadMore {...query} shown={items.length} />
        </>
      )}
      {dispatching && <DispatchDialog row={dispatching} onClose={() => setDispatching(null)} />}
    </>
  );
}
