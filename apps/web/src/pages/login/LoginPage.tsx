import { useState } from 'react';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { forgetCachedUser } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { setLanguage } from '../../i18n';
import { logIn } from './login';

export function LoginForm({
  username,
  onDone,
}: {
  username?: string;
  onDone: (mustChange: boolean) => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Form
      layout="vertical"
      requiredMark={false}
      initialValues={{ username }}
      onFinish={async (values: { username: string; password: string }) => {
        setBusy(true);
        setError(null);
        try {
          onDone(await logIn(values.username.trim(), values.password));
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}
    >
      <ErrorAlert error={error} />
      <Form.Item
        name="username"
        label={t('login.username')}
        rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}
      >
        <Input size="large" autoComplete="username" autoCapitalize="none" />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('login.password')}
        rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}
      >
        <Input.Password size="large" autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block loading={busy}>
        {t('login.submit')}
      </Button>
    </Form>
  );
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
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
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
          {t('login.title')}
        </Typography.Title>
        <LoginForm
          onDone={(mustChange) => {
            forgetCachedUser();
            client.clear();
            void navigate(mustChange ? '/password' : '/', { replace: true });
          }}
        />
        <Button
          type="link"
          lang={i18n.language === 'en' ? 'zh-CN' : 'en'}
          style={{ marginTop: 12, minHeight: 44, paddingInline: 0 }}
          onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
        >
          {t('app.switchTo')}
        </Button>
      </Card>
    </main>
  );
}
