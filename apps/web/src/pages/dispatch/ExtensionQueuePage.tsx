import { useState } from 'react';
import { App, Button, Card, Empty, Input, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCase, useCaseStep, useReference, useWorklist } from '../../api/hooks';
import type { CaseRow } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { formatTime } from '../../components/time';

function ExtensionRequest({ row }: { row: CaseRow }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reference = useReference();
  const detail = useCase(row.id);
  const step = useCaseStep(row.id);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const request = [...(detail.data?.timeline ?? [])]
    .reverse()
    .find((e) => e.type === 'CaseExtensionRequested');
  const data = (request?.data ?? {}) as { reason?: string; requestedDueAt?: string };
  const decide = async (approve: boolean) => {
    setError(null);
    try {
      await step.mutateAsync({
        step: approve ? 'extension/approve' : 'extension/refuse',
        version: detail.data?.version ?? row.version,
        body: approve ? (comment ? { comment } : {}) : { reason: comment || t('dispatch.refuse') },
      });
      void message.success(t(approve ? 'dispatch.approved' : 'dispatch.refusedDone'));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card size="small" style={{ width: '100%' }}>
      <Link to={`/cases/${row.id}`}>
        <Typography.Text strong>{row.enterpriseName}</Typography.Text>
      </Link>
      <div style={{ color: '#595959' }}>
        {reference.name('department', row.leadDepartment)} ·{' '}
        {reference.name('category', row.category)}
      </div>
      {data.requestedDueAt && (
        <div>{t('dispatch.requested', { at: formatTime(data.requestedDueAt) })}</div>
      )}
      {data.reason && (
        <div>
          {t('common.reason')}：{data.reason}
        </div>
      )}
      <ErrorAlert error={error} onReload={() => void detail.refetch()} />
      <Input.TextArea
        aria-label={t('dispatch.comment')}
        placeholder={t('dispatch.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={2}
        style={{ margin: '8px 0' }}
      />
      <Space>
        <Button
          type="primary"
          loading={step.isPending}
          onClick={() => void decide(true)}
          style={{ minHeight: 44 }}
        >
          {t('dispatch.approve')}
        </Button>
        <Button
          danger
          loading={step.isPending}
          onClick={() => void decide(false)}
          style={{ minHeight: 44 }}
        >
          {t('dispatch.refuse')}
        </Button>
      </Space>
    </Card>
  );
}

/** Extension requests waiting for the dispatcher's decision. */
export function ExtensionQueuePage() {
  const { t } = useTranslation();
  const query = useWorklist({ extensionPending: 'true' });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('dispatch.extensionsTitle')}
      </Typography.Title>
      <ErrorAlert error={query.error} onReload={() => void query.refetch()} />
      <List
        loading={query.isLoading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('common.empty')} /> }}
        renderItem={(c) => (
          <List.Item key={c.id} style={{ paddingInline: 0 }}>
            <ExtensionRequest row={c} />
          </List.Item>
        )}
      />
      <LoadMore {...query} shown={items.length} />
    </>
  );
}
