import { Card, Empty, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useReference, useWorklist } from '../../api/hooks';
import { DeadlineBadge } from '../../components/DeadlineBadge';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { StatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/time';

/** The cases the officer logged (and their street's): status and the resolution deadline. */
export function MyCasesPage() {
  const { t } = useTranslation();
  const query = useWorklist({ sort: 'newest' });
  const reference = useReference();
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('officer.myCases')}
      </Typography.Title>
      <ErrorAlert error={query.error} onReload={() => void query.refetch()} />
      <List
        loading={query.isLoading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('common.empty')} /> }}
        renderItem={(c) => (
          <List.Item key={c.id} style={{ paddingInline: 0 }}>
            <Link to={`/cases/${c.id}`} style={{ width: '100%', color: 'inherit' }}>
              <Card size="small" hoverable>
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Typography.Text strong>{c.enterpriseName}</Typography.Text>
                  <StatusTag status={c.status} />
                </div>
                <div style={{ color: '#595959' }}>
                  {reference.name('category', c.category)} ·{' '}
                  {t('officer.openedAt', { at: formatTime(c.openedAt) })}
                </div>
                <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '4px 0' }}>
                  {c.description}
                </Typography.Paragraph>
                {c.deadlines && !['closed', 'withdrawn'].includes(c.status) && (
                  <DeadlineBadge
                    deadline={c.deadlines.resolution}
                    label={t('deadline.resolution')}
                  />
                )}
              </Card>
            </Link>
          </List.Item>
        )}
      />
      <LoadMore {...query} shown={items.length} />
    </>
  );
}
