import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useVisits } from '../../api/hooks';
import { useOutbox } from '../../components/AppLayout';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';

/** The officer's visits (their own and their street's), newest first, with what waits on the phone. */
export function MyVisitsPage() {
  const { t } = useTranslation();
  const query = useVisits();
  const waiting = useOutbox();
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('officer.myVisits')}
      </Typography.Title>
      {waiting.length > 0 && (
        <Link to="/officer/outbox">
          <Tag color="#ad4e00" style={{ padding: '8px 12px', fontSize: 14, marginBottom: 12 }}>
            {t('outbox.badge', { count: waiting.length })}
          </Tag>
        </Link>
      )}
      <ErrorAlert error={query.error} onReload={() => void query.refetch()} />
      <List
        loading={query.isLoading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('common.empty')} /> }}
        renderItem={(v) => (
          <List.Item key={v.id} style={{ paddingInline: 0 }}>
            <Card size="small" style={{ width: '100%' }}>
              <Typography.Text strong>{v.enterpriseName}</Typography.Text>
              <div style={{ color: '#595959' }}>
                {v.visitedOn} · {t(`level.${v.level}`)} ·{' '}
                {t('officer.visitedBy', { names: v.officers.join('、') })}
              </div>
              <div>{v.summary}</div>
              <Space wrap style={{ marginTop: 4 }}>
                <Tag>{t('officer.cases', { count: v.caseIds.length })}</Tag>
                {v.caseIds.map((id, i) => (
                  <Link
                    key={id}
                    to={`/cases/${id}`}
                    style={{ display: 'inline-block', padding: '10px 4px' }}
                  >
                    {t('case.title')} {i + 1}
                  </Link>
                ))}
              </Space>
            </Card>
          </List.Item>
        )}
      />
      <LoadMore {...query} shown={items.length} />
    </>
  );
}
