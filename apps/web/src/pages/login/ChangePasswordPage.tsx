import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { sendCommand } from '../../api/client';
import { sessionStore } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';

/** Change one's own password; forced after a first login or an admin's reset. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const forced = sessionStore.get()?.mustChangePassword;
  return (
    <main
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        padding: 16,
        background: '#f0f4fa',
      }}
    >
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
          {t('nav.changePassword')}
        </Typography.Title>
        {forced && (
          <Alert type="info" showIcon title={t('login.forced')} style={{ marginBottom: 16 }} />
        )}
        <ErrorAlert error={error} />
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={async (v: { currentPassword: string; newPassword: string }) => {
            setBusy(true);
            setError(null);
            try {
              const pair = await sendCommand<{ accessToken: string; refreshToken: string }>(
                '/api/v1/auth/password',
                { currentPassword: v.currentPassword, newPassword: v.newPassword },
              );
              sessionStore.set({
                accessToken: pair.accessToken,
                refreshToken: pair.refreshToken,
                mustChangePassword: false,
              });
              client.clear();
              void navigate('/', { replace: true });
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item
            name="currentPassword"
            label={t('login.current')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input.Password size="large" autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('login.next')}
            extra={t('login.rule')}
            rules={[
              { required: true, message: t('common.required') },
              { min: 12, message: t('login.rule') },
              { pattern: /(?=.*[A-Za-z])(?=.*\d)/, message: t('login.rule') },
            ]}
          >
            <Input.Password size="large" autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('login.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('common.required') },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('login.mismatch'))),
              }),
            ]}
          >
            <Input.Password size="large" autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            {t('login.change')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
