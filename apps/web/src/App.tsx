import { lazy, Suspense, useLayoutEffect, type ReactNode } from 'react';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider, useRouteError } from 'react-router';
import { releaseFirstScreen } from './first-screen/take-over';
import { rememberedMe, useMe } from './api/hooks';
import { useSession } from './auth/useSession';
import { AppLayout } from './components/AppLayout';
import { ErrorAlert } from './components/ErrorAlert';
import { loadAdminStrings } from './i18n';
import { queryClient } from './api/query-client';
import { sessionStore } from './api/session';
import { periodFromUrl, prefetchDashboard } from './pages/leader/metrics';

// One chunk per screen: the officer's phone loads only the screen it shows.
const FindEnterprisePage = lazy(() =>
  import('./pages/officer/FindEnterprisePage').then((m) => ({ default: m.FindEnterprisePage })),
);
const RegisterEnterprisePage = lazy(() =>
  import('./pages/officer/RegisterEnterprisePage').then((m) => ({
    default: m.RegisterEnterprisePage,
  })),
);
const LogVisitPage = lazy(() =>
  import('./pages/officer/LogVisitPage').then((m) => ({ default: m.LogVisitPage })),
);
const MyVisitsPage = lazy(() =>
  import('./pages/officer/MyVisitsPage').then((m) => ({ default: m.MyVisitsPage })),
);
const MyCasesPage = lazy(() =>
  import('./pages/officer/MyCasesPage').then((m) => ({ default: m.MyCasesPage })),
);
const OutboxPage = lazy(() =>
  import('./pages/officer/OutboxPage').then((m) => ({ default: m.OutboxPage })),
);
const DispatchQueuePage = lazy(() =>
  import('./pages/dispatch/DispatchQueuePage').then((m) => ({ default: m.DispatchQueuePage })),
);
const ExtensionQueuePage = lazy(() =>
  import('./pages/dispatch/ExtensionQueuePage').then((m) => ({ default: m.ExtensionQueuePage })),
);
const WorklistPage = lazy(() =>
  import('./pages/worklist/WorklistPage').then((m) => ({ default: m.WorklistPage })),
);
const CasePage = lazy(() => import('./pages/case/CasePage').then((m) => ({ default: m.CasePage })));
// The leaders' screens (ECharts among them) load only when a leader opens them.
const loadDashboard = () => import('./pages/leader/DashboardPage');
const DashboardPage = lazy(() => loadDashboard().then((m) => ({ default: m.DashboardPage })));
const LeaderCasesPage = lazy(() =>
  import('./pages/leader/LeaderCasesPage').then((m) => ({ default: m.LeaderCasesPage })),
);
const NoRoleScreens = lazy(() =>
  import('./components/ResultScreens').then((m) => ({ default: m.NoRoleScreens })),
);
const NotFound = lazy(() =>
  import('./components/ResultScreens').then((m) => ({ default: m.NotFound })),
);
// The admins' screens and their strings (i18n/admin.*.ts) load only when an admin opens them.
const UsersPage = lazy(() =>
  Promise.all([import('./pages/admin/UsersPage'), loadAdminStrings()]).then(([m]) => ({
    default: m.UsersPage,
  })),
);
const ReferencePage = lazy(() =>
  Promise.all([import('./pages/admin/ReferencePage'), loadAdminStrings()]).then(([m]) => ({
    default: m.ReferencePage,
  })),
);
const SlaPoliciesPage = lazy(() =>
  Promise.all([import('./pages/admin/SlaPoliciesPage'), loadAdminStrings()]).then(([m]) => ({
    default: m.SlaPoliciesPage,
  })),
);
const CalendarPage = lazy(() =>
  Promise.all([import('./pages/admin/CalendarPage'), loadAdminStrings()]).then(([m]) => ({
    default: m.CalendarPage,
  })),
);
const LoginPage = lazy(() =>
  import('./pages/login/LoginPage').then((m) => ({ default: m.LoginPage })),
);
const ChangePasswordPage = lazy(() =>
  import('./pages/login/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })),
);

function Loading() {
  const { t } = useTranslation();
  return <Spin style={{ display: 'block', margin: 48 }} aria-label={t('common.loading')} />;
}

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  if (!session) return <Navigate to="/login" replace />;
  if (session.mustChangePassword) return <Navigate to="/password" replace />;
  return <>{children}</>;
}

function Home() {
  const me = useMe();
  if (me.isLoading) return <Loading />;
  if (me.error) return <ErrorAlert error={me.error} onReload={() => void me.refetch()} />;
  switch (me.data?.role) {
    case 'officer':
      return <Navigate to="/officer/enterprises" replace />;
    case 'dispatcher':
      return <Navigate to="/dispatch" replace />;
    case 'handler':
      return <Navigate to="/worklist" replace />;
    case 'leader':
      return <Navigate to="/leader" replace />;
    case 'admin':
      return <Navigate to="/admin/users" replace />;
    default:
      return page(<NoRoleScreens role={me.data?.role ?? 'admin'} />);
  }
}

/** Removes the prerendered first screen once a screen other than the finder is shown. */
function FirstScreenGone() {
  useLayoutEffect(() => void releaseFirstScreen(), []);
  return null;
}

function RouteError() {
  const error = useRouteError();
  return (
    <>
      <FirstScreenGone />
      <ErrorAlert error={error} onReload={() => window.location.reload()} />
    </>
  );
}

/**
 * A lazy screen. The prerendered first screen (first-screen/markup.ts) stays over the app
 * while the screen loads and goes when it shows; the finder, which takes it over, keeps it.
 */
const page = (node: ReactNode, takesOverFirstScreen = false) => (
  <Suspense fallback={<Loading />}>
    {node}
    {!takesOverFirstScreen && <FirstScreenGone />}
  </Suspense>
);

const router = createBrowserRouter([
  { path: '/login', element: page(<LoginPage />), errorElement: <RouteError /> },
  { path: '/password', element: page(<ChangePasswordPage />), errorElement: <RouteError /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      { path: 'officer/enterprises', element: page(<FindEnterprisePage />, true) },
      { path: 'officer/enterprises/new', element: page(<RegisterEnterprisePage />) },
      { path: 'officer/visit', element: page(<LogVisitPage />) },
      { path: 'officer/visits', element: page(<MyVisitsPage />) },
      { path: 'officer/cases', element: page(<MyCasesPage />) },
      { path: 'officer/outbox', element: page(<OutboxPage />) },
      { path: 'dispatch', element: page(<DispatchQueuePage />) },
      { path: 'dispatch/extensions', element: page(<ExtensionQueuePage />) },
      { path: 'worklist', element: page(<WorklistPage />) },
      { path: 'cases/:id', element: page(<CasePage />) },
      { path: 'leader', element: page(<DashboardPage />) },
      { path: 'leader/cases', element: page(<LeaderCasesPage />) },
      { path: 'admin/users', element: page(<UsersPage />) },
      { path: 'admin/reference', element: page(<ReferencePage />) },
      { path: 'admin/sla', element: page(<SlaPoliciesPage />) },
      { path: 'admin/calendar', element: page(<CalendarPage />) },
      { path: '*', element: page(<NotFound />) },
    ],
  },
]);

/**
 * Before the first render: the leader's dashboard — opened directly (a bookmark, a reload, a
 * link), or the home a leader lands on — fetches its chunk and sends its queries now, in
 * parallel, instead of one after the other once the router has rendered the route and the
 * page has asked.
 */
export function warmStart(): void {
  const path = window.location.pathname;
  const dashboard = path === '/leader' || (path === '/' && rememberedMe()?.role === 'leader');
  if (!dashboard || !sessionStore.get()) return;
  void loadDashboard();
  prefetchDashboard(queryClient, periodFromUrl(new URLSearchParams(window.location.search)));
}

export function AppRoutes() {
  return <RouterProvider router={router} />;
}
