import { useEffect } from 'preact/hooks';
import { PreJoinPanel } from '@/features/lobby';
import { parseRoomCode } from '@/lib/room-code';
import { AppShell } from '@/app/layouts/AppShell';
import { announceUnavailable } from '@/app/pending';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { displayNameOf, enterLobby, userStore, useStore } from '@/store';
import { AlertIcon, buttonClasses, Card, EmptyState } from '@/ui';

/** `/r/:code`: a shared meeting link. It opens the lobby for that room. */
export function MeetingPage({ code: rawCode = '' }: { code?: string }) {
  const code = parseRoomCode(rawCode);
  const user = useStore(userStore, (state) => state.user);
  usePageTitle(code ?? 'Meeting');

  useEffect(() => {
    if (code) {
      enterLobby(code);
    }
  }, [code]);

  return (
    <AppShell withSidebar={false}>
      <div class="mx-auto flex min-h-[calc(100dvh-8rem)] max-w-6xl items-center">
        {code ? (
          <PreJoinPanel
            code={code}
            displayName={user ? displayNameOf(user) : 'Guest'}
            onJoin={() => {
              announceUnavailable('Joining meetings');
            }}
          />
        ) : (
          <Card class="mx-auto w-full max-w-md">
            <EmptyState
              icon={<AlertIcon />}
              title="This meeting link is not valid"
              description="Check the link you were sent, or enter the meeting code on the dashboard."
              action={
                <a href={paths.dashboard} class={buttonClasses('primary')}>
                  Go to dashboard
                </a>
              }
            />
          </Card>
        )}
      </div>
    </AppShell>
  );
}
