import { Route, Router } from 'preact-router';
import { dismissToast, routeChanged, uiStore, useStore } from '@/store';
import { ToastViewport } from '@/ui';
import { ContactsPage } from './pages/ContactsPage';
import { DashboardPage } from './pages/DashboardPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { LoginPage } from './pages/LoginPage';
import { MeetingPage } from './pages/MeetingPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProfilePage } from './pages/ProfilePage';
import { RegisterPage } from './pages/RegisterPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SettingsPage } from './pages/SettingsPage';
import { paths } from './routes';

export function App({ url }: { url?: string }) {
  const toasts = useStore(uiStore, (state) => state.toasts);
  return (
    <>
      <Router
        url={url}
        onChange={(event) => {
          routeChanged(event.url);
          window.scrollTo(0, 0);
        }}
      >
        <Route path={paths.dashboard} component={DashboardPage} />
        <Route path={paths.login} component={LoginPage} />
        <Route path={paths.register} component={RegisterPage} />
        <Route path={paths.forgotPassword} component={ForgotPasswordPage} />
        <Route path={paths.resetPassword} component={ResetPasswordPage} />
        <Route path={paths.meeting} component={MeetingPage} />
        <Route path={paths.profile} component={ProfilePage} />
        <Route path={paths.contacts} component={ContactsPage} />
        <Route path={paths.settings} component={SettingsPage} />
        <Route default component={NotFoundPage} />
      </Router>
      <ToastViewport toasts={toasts} onDismiss={dismissToast} />
    </>
  );
}
