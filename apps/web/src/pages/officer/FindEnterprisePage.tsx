import { useEffect, useState } from 'react';
import { Button, Card, Empty, Input, Space, Spin, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useEnterprises, useReference } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';

/** The officer's first screen: find an enterprise by name or credit code, then log a visit. */
export function FindEnterprisePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (text.trim() !== q) setParams(text.trim() ? { q: text.trim() } : {}, { replace: true });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [text, q, setParams]);
  const query = useEnterprises(q);
  const reference = useReference();
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('officer.findTitle')}
      </Typography.Title>
      <Input.Search
        size="large"
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('officer.findHint')}
        aria-label={t('officer.findHint')}
        enterButton={t('common.search')}
        onSearch={(v) => setText(v)}
        style={{ marginBottom: 12 }}
      />
      <ErrorAlert error={query.error} onReload={() => void query.refetch()} />
      {/* A plain list: antd's List pulls in Pagination and Select, heavy for the first screen. */}
      {query.isLoading && (
        <Spin style={{ display: 'block', margin: 24 }} aria-label={t('common.loading')} />
      )}
      {!query.isLoading && items.length === 0 && <Empty description={t('common.empty')} />}
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((e) => (
          <li key={e.id} style={{ marginBottom: 12 }}>
            <Card size="small" style={{ width: '100%' }}>
              <Typography.Text strong style={{ fontSize: 16 }}>
                {e.name}
              </Typography.Text>
              <div style={{ color: '#595959', fontSize: 13, wordBreak: 'break-all' }}>
                {e.creditCode} · {t('who.street', { name: reference.name('street', e.street) })}
                {e.building ? ` · ${e.building}` : ''}
              </div>
              <Space wrap style={{ marginTop: 4 }}>
                {e.tags.map((tag) => (
                  <Tag key={tag}>{t(`tag.${tag}`)}</Tag>
                ))}
              </Space>
              <Link to={`/officer/visit?enterprise=${encodeURIComponent(e.id)}`}>
                <Button type="primary" size="large" block style={{ marginTop: 8 }}>
                  {t('officer.logVisit')}
                </Button>
              </Link>
            </Card>
          </li>
        ))}
      </ul>
      <LoadMore {...query} shown={items.length} />
      <Card size="small" style={{ marginTop: 12 }}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('officer.notFound')}</Typography.Text>
          <Link to={`/officer/enterprises/new${q ? `?name=${encodeURIComponent(q)}` : ''}`}>
            <Button icon={<PlusOutlined />} size="large" block>
              {t('officer.registerNew')}
            </Button>
          </Link>
        </Space>
      </Card>
    </>
  );
}
