import { Button, buttonClasses, Card, LogOutIcon, RefreshIcon } from '@/ui';

export interface MeetingLeftProps {
  roomName: string;
  backHref: string;
  /** Back to the pre-join screen of the same meeting. */
  onRejoin: () => void;
}

/** Right after leaving on purpose: a way back in, or on to the dashboard. */
export function MeetingLeft({ roomName, backHref, onRejoin }: MeetingLeftProps) {
  return (
    <Card class="mx-auto w-full max-w-md">
      <div class="flex flex-col items-center px-2 py-6 text-center">
        <span class="mb-3 flex size-12 items-center justify-center rounded-full bg-green-50 text-green-700">
          <LogOutIcon />
        </span>
        <h1 class="text-lg font-semibold text-gray-900">You left the meeting</h1>
        <p class="mt-1 max-w-xs text-sm break-words text-gray-600">
          “{roomName}” goes on without you. You can join again while it is open.
        </p>
        <div class="mt-5 flex w-full flex-col-reverse gap-2 sm:w-auto sm:flex-row">
          <Button variant="secondary" icon={<RefreshIcon class="size-4" />} onClick={onRejoin}>
            Rejoin
          </Button>
          <a href={backHref} class={buttonClasses('primary')}>
            Back to dashboard
          </a>
        </div>
      </div>
    </Card>
  );
}
