import { useState } from 'react';
import { Alert, Button, Card, Empty, Popconfirm, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useOutbox } from '../../components/AppLayout';
import { formatTime } from '../../components/time';
import { outbox } from '../../offline/outbox';

/** What waits on this phone to be sent, and what the server refused (with its reason). */
export function OutboxPage() {
  const { t } = useTranslation();
  const entries = useOutbox();
  const client = useQueryClient();
  const [sending, setSending] = useState(false);
  const waiting = entries.filter((e) => e.state === 'waiting');
  const refused = entries.filter((e) => e.state === 'refused');
  const send = async () => {
    setSending(true);
    try {
      await outbox.flush();
      void client.invalidateQueries({ queryKey: ['visits'] });
    } finally {
      setSending(false);
    }
  };
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t('outbox.title')}
      </Typography.Title>
      {entries.length === 0 && <Empty description={t('outbox.empty')} />}
      {waiting.length > 0 && (
        <section aria-label={t('outbox.waiting')}>
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t('outbox.waiting')}（{waiting.length}）
          </Typography.Title>
          <Alert type="info" showIcon title={t('outbox.willSend')} style={{ marginBottom: 12 }} />
          {waiting.map((e) => (
            <Card key={e.key} size="small" style={{ marginBottom: 8 }}>
              <Typography.Text strong>{e.enterpriseName}</Typography.Text>
              <div style={{ color: '#595959' }}>
                {e.body.visitedOn} · {t('officer.cases', { count: e.body.problems?.length ?? 0 })} ·{' '}
                {t('outbox.savedAt', { at: formatTime(e.createdAt) })}
                {e.attempts > 0 ? ` · ${t('outbox.attempts', { n: e.attempts })}` : ''}
              </div>
            </Card>
          ))}
          <Button type="primary" size="large" block loading={sending} onClick={() => void send()}>
            {t('outbox.sendNow')}
          </Button>
        </section>
      )}
      {refused.length > 0 && (
        <section aria-label={t('outbox.refused')} style={{ marginTop: 24 }}>
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t('outbox.refused')}（{refused.length}）
          </Typography.Title>
          {refused.map((e) => (
            <Card key={e.key} size="small" style={{ marginBottom: 8, borderColor: '#ff4d4f' }}>
              <Typography.Text strong>{e.enterpriseName}</Typography.Text>
              <div>
                <Tag color="#a8071a">{e.error?.status}</Tag>
                {t('outbox.reason')}：{e.error?.message}
              </div>
              {e.error?.errors.map((f) => (
                <div key={f.field + f.rule} style={{ color: '#a8071a' }}>
                  {t('error.field', { field: f.field, message: f.message })}
                </div>
              ))}
              <Space wrap style={{ marginTop: 8 }}>
                <Link to={`/officer/visit?outbox=${encodeURIComponent(e.key)}`}>
                  <Button type="primary" size="large">
                    {t('outbox.fix')}
                  </Button>
                </Link>
                <Popconfirm
                  title={t('outbox.discardConfirm')}
                  onConfirm={() => void outbox.discard(e.key)}
                >
                  <Button size="large" danger>
                    {t('outbox.discard')}
                  </Button>
                </Popconfirm>
              </Space>
            </Card>
          ))}
        </section>
      )}
    </>
  );
}
