import type { ReactNode } from 'react';
import { Button, Drawer, Space } from 'antd';
import { useTranslation } from 'react-i18next';

/** The phone's menu: the role's screens and logout, sliding in from the left. */
export function MenuDrawer({
  open,
  onClose,
  onLogout,
  children,
}: {
  open: boolean;
  onClose: () => void;
  onLogout: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} placement="left" size={260} title={t('nav.menu')}>
      {children}
      <Space orientation="vertical" style={{ marginTop: 16, width: '100%' }}>
        <Button block size="large" onClick={onLogout}>
          {t('nav.logout')}
        </Button>
      </Space>
    </Drawer>
  );
}
