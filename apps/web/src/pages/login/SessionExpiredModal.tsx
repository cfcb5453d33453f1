import { Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { useSessionExpired } from '../../auth/useSession';
import { LoginForm } from './LoginPage';

/**
 * When the session can no longer be refreshed, sign in again in a dialog over the page: the
 * screen underneath stays mounted, so a half-typed form is kept.
 */
export function SessionExpiredModal({ username }: { username?: string }) {
  const { t } = useTranslation();
  const expired = useSessionExpired();
  const client = useQueryClient();
  return (
    <Modal
      open={expired}
      title={t('login.expiredTitle')}
      footer={null}
      closable={false}
      mask={{ closable: false }}
    >
      <Typography.Paragraph>{t('login.expiredBody')}</Typography.Paragraph>
      <LoginForm
        username={username}
        onDone={() => {
          void client.invalidateQueries();
        }}
      />
    </Modal>
  );
}
