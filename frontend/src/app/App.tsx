import { Route, Router } from 'preact-router';
import { dismissToast, routeChanged, uiStore, useStore } from '@/store';
import { ToastViewport } from '@/ui';
import { signedInOnly } from './guards';
import { lazyPage } from './lazy-page';
import { ContactsPage } from './pages/ContactsPage';
import { DashboardPage } from './pages/DashboardPage';
import { DevMailboxPage } from './pages/DevMailboxPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { LoginPage } from './pages/LoginPage';
import { NewRoomPage } from './pages/NewRoomPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProfilePage } from './pages/ProfilePage';
import { RecordingsPage } from './pages/RecordingsPage';
import { RegisterPage } from './pages/RegisterPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { RoomDetailPage } from './pages/RoomDetailPage';
import { SessionsPage } from './pages/SessionsPage';
import { SettingsPage } from './pages/SettingsPage';
import { VerifyEmailPage } from './pages/VerifyEmailPage';
import { paths } from './routes';

// Pages for signed-in users; anyone else is sent to sign in and brought back.
const Dashboard = signedInOnly(DashboardPage);
const Profile = signedInOnly(ProfilePage);
const Sessions = signedInOnly(SessionsPage);
const Contacts = signedInOnly(ContactsPage);
const Recordings = signedInOnly(RecordingsPage);
const Settings = signedInOnly(SettingsPage);
// The meeting page (WebRTC, devices, video) is fetched only when a meeting is opened.
const Meeting = signedInOnly(
  lazyPage(() => import('./pages/MeetingPage').then((module) => module.MeetingPage)),
);
const NewRoom = signedInOnly(NewRoomPage);
const RoomDetail = signedInOnly(RoomDetailPage);

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
        <Route path={paths.dashboard} component={Dashboard} />
        <Route path={paths.login} component={LoginPage} />
        <Route path={paths.register} component={RegisterPage} />
        <Route path={paths.forgotPassword} component={ForgotPasswordPage} />
        <Route path={paths.resetPassword} component={ResetPasswordPage} />
        <Route path={paths.verifyEmail} component={VerifyEmailPage} />
        <Route path={paths.meeting} component={Meeting} />
        <Route path={paths.newRoom} component={NewRoom} />
        <Route path={paths.room} component={RoomDetail} />
        <Route path={paths.profile} component={Profile} />
        <Route path={paths.sessions} component={Sessions} />
        <Route path={paths.contacts} component={Contacts} />
        <Route path={paths.recordings} component={Recordings} />
        <Route path={paths.recording} component={Recordings} />
        <Route path={paths.settings} component={Settings} />
        <Route path={paths.devMailbox} component={DevMailboxPage} />
        <Route default component={NotFoundPage} />
      </Router>
      <ToastViewport toasts={toasts} onDismiss={dismissToast} />
    </>
  );
}
