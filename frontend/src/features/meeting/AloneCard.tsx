import type { Room } from '@/api';
import { CopyLinkButton } from '@/features/rooms';
import { LockIcon } from '@/ui';

/** Nobody else is here yet: say so, and hand over the link to invite them. It sits above
 * the stage, not over it, so it never covers your own video. */
export function AloneCard({ room }: { room: Room }) {
  return (
    <div
      role="status"
      data-testid="alone-card"
      class="mx-auto mb-2 w-full max-w-md shrink-0 rounded-2xl bg-gray-900 p-3 text-center text-white shadow-xl ring-1 ring-white/10 sm:p-4"
    >
      <p class="text-base font-semibold">You're the only one here</p>
      <p class="mt-1 text-sm text-gray-300">Share the link to invite others.</p>
      <p class="mt-2 truncate rounded-lg bg-gray-800 px-3 py-2 font-mono text-sm text-gray-100">
        {room.invite_url}
      </p>
      <div class="mt-2 flex justify-center">
        <CopyLinkButton link={room.invite_url} roomName={room.name} />
      </div>
      {room.has_password && (
        <p class="mt-3 flex items-center justify-center gap-1.5 text-sm text-gray-300">
          <LockIcon class="size-4" /> People joining will need the room password.
        </p>
      )}
    </div>
  );
}
