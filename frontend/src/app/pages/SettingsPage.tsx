import { useState } from 'preact/hooks';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { usePageTitle } from '@/app/use-page-title';
import { Card, Switch } from '@/ui';

export function SettingsPage() {
  usePageTitle('Settings');
  const [micOnJoin, setMicOnJoin] = useState(true);
  const [cameraOnJoin, setCameraOnJoin] = useState(true);
  const [inviteEmails, setInviteEmails] = useState(true);
  const [reminders, setReminders] = useState(false);

  return (
    <AppShell>
      <PageHeading title="Settings" description="Choose how meetings start and how we reach you." />
      <div class="grid max-w-3xl gap-6">
        <Card title="Audio and video">
          <div class="divide-y divide-gray-100">
            <Switch
              label="Microphone on when joining"
              description="Start meetings unmuted. You can still change it in the lobby."
              checked={micOnJoin}
              onChange={setMicOnJoin}
            />
            <Switch
              label="Camera on when joining"
              description="Start meetings with your camera on."
              checked={cameraOnJoin}
              onChange={setCameraOnJoin}
            />
          </div>
        </Card>
        <Card title="Notifications">
          <div class="divide-y divide-gray-100">
            <Switch
              label="Email me meeting invitations"
              checked={inviteEmails}
              onChange={setInviteEmails}
            />
            <Switch
              label="Remind me before scheduled meetings"
              description="A notification 10 minutes before the start."
              checked={reminders}
              onChange={setReminders}
            />
          </div>
        </Card>
      </div>
    </AppShell>
  );
}
