import { buttonClasses, Card, ClockIcon, BanIcon, AlertIcon } from '@/ui';

/** How the meeting ended for this person, in words. */
export type MeetingEnding =
  'ended' | 'ended-by-you' | 'removed' | 'unauthorized' | 'forbidden' | 'not-found' | 'replaced';

const TEXT: Record<MeetingEnding, { title: string; description: string }> = {
  ended: {
    title: 'The host ended the meeting',
    description: 'The meeting is over for everyone. Thanks for joining.',
  },
  'ended-by-you': {
    title: 'You ended the meeting for everyone',
    description: 'Everyone has been taken out of the meeting. Thanks for hosting.',
  },
  removed: {
    title: 'You were removed from the meeting',
    description:
      'A host or moderator took you out of this meeting. You can join again once they let you back in.',
  },
  unauthorized: {
    title: 'Your session has expired',
    description: 'Sign in again to rejoin the meeting.',
  },
  forbidden: {
    title: 'You are no longer in this meeting',
    description: 'Open the meeting link again to rejoin.',
  },
  'not-found': {
    title: 'This meeting no longer exists',
    description: 'Check the link with whoever sent it.',
  },
  replaced: {
    title: 'The meeting is open somewhere else',
    description: 'You joined this meeting from another tab or device, so this one stopped.',
  },
};

/** The end of a meeting for this person, with a way back to the dashboard. */
export function MeetingEnded({ ending, backHref }: { ending: MeetingEnding; backHref: string }) {
  const { title, description } = TEXT[ending];
  const icon =
    ending === 'removed' ? <BanIcon /> : ending.startsWith('ended') ? <ClockIcon /> : <AlertIcon />;
  return (
    <Card class="mx-auto w-full max-w-md">
      <div role="alert" class="flex flex-col items-center px-2 py-6 text-center">
        <span class="mb-3 flex size-12 items-center justify-center rounded-full bg-green-50 text-green-700">
          {icon}
        </span>
        <h1 class="text-lg font-semibold text-gray-900">{title}</h1>
        <p class="mt-1 max-w-xs text-sm text-gray-600">{description}</p>
        <a href={backHref} class={`${buttonClasses('primary')} mt-5`}>
          Go to dashboard
        </a>
      </div>
    </Card>
  );
}
