import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';

// antd's Result carries its 403/404/500 illustrations: loaded only when one is shown, not with
// every first screen.

/** A role with no screens of its own yet: where to go instead. */
export function NoRoleScreens({ role }: { role: string }) {
  const { t } = useTranslation();
  return (
    <Result
      status="info"
      title={t(`role.${role}`)}
      subTitle={t('login.noRoleScreens', { role: t(`role.${role}`) })}
      extra={
        <Button href="/docs" size="large">
          {t('nav.docs')}
        </Button>
      }
    />
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('error.title404')}
      subTitle={t('error.what404')}
      extra={
        <Button href="/" size="large" type="primary">
          {t('common.goHome')}
        </Button>
      }
    />
  );
}
