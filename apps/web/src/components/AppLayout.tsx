import { lazy, Suspense, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Alert, Button, Grid, Layout } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { forgetCachedUser, useMe, useReference } from '../api/hooks';
import { sessionStore } from '../api/session';
import type { Role } from '../api/types';
import { loadAdminStrings, setLanguage } from '../i18n';
import { outbox, startOutboxSender, type OutboxEntry } from '../offline/outbox';
import { useSessionExpired } from '../auth/useSession';

// Loaded only when a session ends (the sign-in form is not part of the first screen).
const SessionExpiredModal = lazy(() =>
  import('../pages/login/SessionExpiredModal').then((m) => ({ default: m.SessionExpiredModal })),
);

// The phone's menu drawer, loaded when first opened (antd's Drawer is not needed to show a screen).
const MenuDrawer = lazy(() => import('./MenuDrawer').then((m) => ({ default: m.MenuDrawer })));

const { Header, Content, Sider } = Layout;

export function menuFor(role: Role | undefined): { path: string; key: string }[] {
  switch (role) {
    case 'officer':
      return [
        { path: '/officer/enterprises', key: 'nav.enterprises' },
        { path: '/officer/visit', key: 'nav.visit' },
        { path: '/officer/visits', key: 'nav.myVisits' },
        { path: '/officer/cases', key: 'nav.myCases' },
        { path: '/officer/outbox', key: 'nav.outbox' },
      ];
    case 'dispatcher':
      return [
        { path: '/dispatch', key: 'nav.dispatch' },
        { path: '/dispatch/extensions', key: 'nav.extensions' },
        { path: '/worklist', key: 'nav.worklist' },
        { path: '/officer/enterprises', key: 'nav.enterprises' },
      ];
    case 'handler':
      return [{ path: '/worklist', key: 'nav.worklist' }];
    case 'leader':
      return [
        { path: '/leader', key: 'nav.dashboard' },
        { path: '/leader/cases', key: 'nav.overdueList' },
        { path: '/worklist', key: 'nav.worklist' },
      ];
    case 'admin':
      return [
        { path: '/admin/users', key: 'admin.nav.users' },
        { path: '/admin/reference', key: 'admin.nav.reference' },
        { path: '/admin/sla', key: 'admin.nav.sla' },
        { path: '/admin/calendar', key: 'admin.nav.calendar' },
      ];
    default:
      return [];
  }
}

function useOnline() {
  return useSyncExternalStore(
    (cb) => {
      window.addEventListener('online', cb);
      window.addEventListener('offline', cb);
      return () => {
        window.removeEventListener('online', cb);
        window.removeEventListener('offline', cb);
      };
    },
    () => navigator.onLine,
  );
}

export function useOutbox(): OutboxEntry[] {
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => void outbox.list().then((list) => live && setEntries(list));
    load();
    const off = outbox.subscribe(load);
    return () => {
      live = false;
      off();
    };
  }, []);
  return entries;
}

/** The frame of every signed-in screen: who is signed in, the menu for the role, language, logout. */
export function AppLayout({ children }: { children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const reference = useReference();
  const online = useOnline();
  const entries = useOutbox();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const [drawerWanted, setDrawerWanted] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const role = me.data?.role;
  const expired = useSessionExpired();
  useEffect(
    () => (role === 'officer' || role === 'dispatcher' ? startOutboxSender() : undefined),
    [role],
  );
  useEffect(() => void (role === 'admin' && loadAdminStrings()), [role]);

  // A figure's drill-down (/leader/cases?metric=…) belongs to the dashboard it came from, not
  // to the overdue list that shares its screen.
  const drillDown =
    location.pathname === '/leader/cases' && new URLSearchParams(location.search).has('metric');
  const selected = drillDown
    ? '/leader'
    : menuFor(role)
        .map((i) => i.path)
        .filter((p) => location.pathname === p || location.pathname.startsWith(`${p}/`))
        .sort((a, b) => b.length - a.length)[0];
  const items = menuFor(role);
  const nav = (
    <nav aria-label={t('nav.menu')}>
      <ul className="app-nav">
        {items.map((item) => (
          <li key={item.path}>
            <Link
              to={item.path}
              aria-current={item.path === selected ? 'page' : undefined}
              onClick={() => setDrawer(false)}
            >
              {t(item.key)}
              {item.path === '/officer/outbox' && entries.length > 0 && (
                <span className="nav-count">{entries.length}</span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );

  const place = me.data?.department
    ? reference.name('department', me.data.department)
    : me.data?.street
      ? t('who.street', { name: reference.name('street', me.data.street) })
      : '';

  const logout = async () => {
    const session = sessionStore.get();
    if (session) {
      await fetch('/api/v1/auth/logout', {
        method: 'POST',
        headers: { authorization: `Bearer ${session.accessToken}` },
      }).catch(() => undefined);
    }
    sessionStore.set(null);
    forgetCachedUser();
    client.clear();
    void navigate('/login');
  };

  const switcher = (
    <Button
      type="text"
      lang={i18n.language === 'en' ? 'zh-CN' : 'en'}
      onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
      style={{ color: '#fff', minHeight: 44 }}
    >
      {t('app.switchTo')}
    </Button>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a href="#main" className="skip-link">
        {t('app.skip')}
      </a>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          paddingInline: phone ? 8 : 24,
          background: '#0b3d91',
        }}
      >
        {phone && items.length > 0 && (
          <Button
            type="text"
            aria-label={t('nav.menu')}
            icon={<MenuOutlined />}
            onClick={() => {
              setDrawerWanted(true);
              setDrawer(true);
            }}
            style={{ color: '#fff', minWidth: 44, minHeight: 44 }}
          />
        )}
        <Link to="/" style={{ color: '#fff', fontWeight: 600, fontSize: 18, whiteSpace: 'nowrap' }}>
          {t('app.name')}
          {!phone && (
            <span style={{ fontWeight: 400, marginInlineStart: 8 }}>{t('app.title')}</span>
          )}
        </Link>
        <div style={{ flex: 1 }} />
        {me.data && (
          <span
            style={{
              color: '#fff',
              lineHeight: 1.3,
              textAlign: 'right',
              fontSize: phone ? 12 : 14,
            }}
            aria-label={t('who.signedInAs')}
          >
            {me.data.displayName}
            <br />
            {t(`role.${me.data.role}`)}
            {place ? ` · ${place}` : ''}
          </span>
        )}
        {switcher}
        {!phone && (
          <Button
            type="text"
            onClick={() => void logout()}
            style={{ color: '#fff', minHeight: 44 }}
          >
            {t('nav.logout')}
          </Button>
        )}
      </Header>
      <Layout>
        {!phone && items.length > 0 && (
          <Sider width={200} theme="light">
            {nav}
          </Sider>
        )}
        <Content id="main" style={{ padding: phone ? 12 : 24, maxWidth: 1200, width: '100%' }}>
          {!online && (
            <Alert
              type="warning"
              showIcon
              title={t('common.offline')}
              style={{ marginBottom: 12 }}
            />
          )}
          {children ?? <Outlet />}
        </Content>
      </Layout>
      {drawerWanted && (
        <Suspense fallback={null}>
          <MenuDrawer open={drawer} onClose={() => setDrawer(false)} onLogout={() => void logout()}>
            {nav}
          </MenuDrawer>
        </Suspense>
      )}
      {expired && (
        <Suspense fallback={null}>
          <SessionExpiredModal username={me.data?.username} />
        </Suspense>
      )}
    </Layout>
  );
}
