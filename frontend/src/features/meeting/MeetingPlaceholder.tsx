import type { Room } from '@/api';
import { Button, CheckCircleIcon, LogOutIcon } from '@/ui';

export interface MeetingPlaceholderProps {
  room: Room;
  leaving: boolean;
  onLeave: () => void;
}

/** Stands in for the call screen: the user has a seat in the meeting and can leave. */
export function MeetingPlaceholder({ room, leaving, onLeave }: MeetingPlaceholderProps) {
  const others = Math.max(0, room.participant_count - 1);
  return (
    <section
      aria-labelledby="in-meeting-title"
      class="mx-auto flex w-full max-w-xl flex-col items-center rounded-2xl bg-gray-900 px-6 py-12 text-center text-white shadow-lg"
    >
      <CheckCircleIcon class="size-12 text-green-400" />
      <h1 id="in-meeting-title" class="mt-4 text-2xl font-semibold sm:text-3xl">
        You're in
      </h1>
      <p class="mt-2 break-words text-gray-200">{room.name}</p>
      <p class="mt-1 text-sm text-gray-300">
        {others === 0
          ? 'Nobody else is here yet.'
          : `${others} ${others === 1 ? 'other person is' : 'others are'} here.`}{' '}
        Video and audio arrive in a coming update.
      </p>
      <Button
        variant="danger"
        size="lg"
        class="mt-8"
        icon={<LogOutIcon />}
        loading={leaving}
        onClick={onLeave}
      >
        Leave meeting
      </Button>
    </section>
  );
}
