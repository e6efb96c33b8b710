import type { Room } from '@/api';
import { relativeTime } from '@/lib/time';
import { formatMinutes } from '@/lib/duration';
import { loadUpcoming, roomsStore, useStore } from '@/store';
import { Button, CalendarIcon, DownloadIcon, EmptyState } from '@/ui';
import { calendarDay, meetingTime } from './format';
import { ListStates } from './ListStates';
import { roomPath } from './paths';
import { useInvitationDownload } from './use-invitation-download';

function UpcomingRow({
  room,
  downloading,
  onDownload,
}: {
  room: Room & { scheduled_at: string };
  downloading: boolean;
  onDownload: () => void;
}) {
  const { day, month } = calendarDay(room.scheduled_at);
  return (
    <li class="flex items-start gap-3 py-3">
      <span
        aria-hidden="true"
        class="flex w-12 shrink-0 flex-col items-center rounded-lg bg-green-50 py-1 text-green-800"
      >
        <span class="text-xs font-medium uppercase">{month}</span>
        <span class="text-lg leading-tight font-semibold">{day}</span>
      </span>
      <div class="min-w-0 flex-1">
        <a
          href={roomPath(room.id)}
          class="font-medium break-words text-gray-900 hover:text-green-800 hover:underline"
        >
          {room.name}
        </a>
        <p class="text-sm font-medium text-green-800">{relativeTime(room.scheduled_at)}</p>
        <p class="text-sm text-gray-600">
          <time dateTime={room.scheduled_at}>{meetingTime(room.scheduled_at)}</time>
          {room.duration_minutes !== null && ` · ${formatMinutes(room.duration_minutes)}`}
        </p>
      </div>
      <Button
        variant="ghost"
        size="sm"
        icon={<DownloadIcon class="size-4" />}
        loading={downloading}
        aria-label={`Download calendar invitation for ${room.name}`}
        title="Add to calendar (.ics)"
        onClick={onDownload}
      >
        .ics
      </Button>
    </li>
  );
}

/** Scheduled meetings still ahead, soonest first. */
export function UpcomingList() {
  const upcoming = useStore(roomsStore, (state) => state.upcoming);
  const { downloading, download } = useInvitationDownload();
  return (
    <ListStates
      list={upcoming}
      what="upcoming meetings"
      onRetry={() => void loadUpcoming()}
      empty={
        <EmptyState
          icon={<CalendarIcon />}
          title="Nothing scheduled"
          description="Meetings you schedule or are invited to show up here."
        />
      }
    >
      <ul class="-my-3 divide-y divide-gray-100" aria-label="Upcoming meetings">
        {upcoming.items.map(
          (room) =>
            room.scheduled_at !== null && (
              <UpcomingRow
                key={room.id}
                room={{ ...room, scheduled_at: room.scheduled_at }}
                downloading={downloading === room.id}
                onDownload={() => void download(room)}
              />
            ),
        )}
      </ul>
    </ListStates>
  );
}
