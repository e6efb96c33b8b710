// The waiting room as hosts and moderators see it (decision 59): a notice over the stage when
// someone asks to join, and the "Waiting" section of the people panel. Both answer through
// the lobby actions (store/lobby-admission.ts).
import type { LobbyWaiter } from '@/api';
import { cn } from '@/lib/cn';
import { Avatar, Button } from '@/ui';

export interface LobbyAnswers {
  onAdmit: (userId: string) => void;
  onDeny: (userId: string) => void;
  onAdmitAll: () => void;
}

/** "Waiting 3 min" from the server's time of the knock. */
export function waitedFor(since: string, now: number = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(since)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) {
    return 'Just now';
  }
  return minutes < 60 ? `Waiting ${String(minutes)} min` : 'Waiting over an hour';
}

function AnswerButtons({ person, onAdmit, onDeny }: { person: LobbyWaiter } & LobbyAnswers) {
  return (
    <div class="flex shrink-0 gap-2">
      <Button
        size="sm"
        variant="secondary"
        aria-label={`Deny ${person.name}`}
        onClick={() => {
          onDeny(person.user_id);
        }}
      >
        Deny
      </Button>
      <Button
        size="sm"
        aria-label={`Admit ${person.name}`}
        onClick={() => {
          onAdmit(person.user_id);
        }}
      >
        Admit
      </Button>
    </div>
  );
}

export interface LobbyNoticeProps extends LobbyAnswers {
  waiting: LobbyWaiter[];
  /** Opens the people panel, where everyone waiting is listed. */
  onShowAll: () => void;
  class?: string;
}

/** Over the stage: who asks to join, with Admit / Deny (one person) or Admit all. */
export function LobbyNotice({
  waiting,
  onShowAll,
  class: className,
  ...answers
}: LobbyNoticeProps) {
  const first = waiting[0];
  if (!first) {
    return null;
  }
  const single = waiting.length === 1;
  return (
    <div
      role="status"
      aria-label="Waiting to join"
      class={cn(
        'pointer-events-auto w-full max-w-sm rounded-2xl border border-gray-200 bg-white p-4 shadow-xl',
        className,
      )}
    >
      <div class="flex items-center gap-3">
        <Avatar name={first.name} size="sm" />
        <p class="min-w-0 flex-1 text-sm text-gray-900">
          {single ? (
            <>
              <span class="font-semibold break-words">{first.name}</span> wants to join
            </>
          ) : (
            <>
              <span class="font-semibold">{waiting.length} people</span> want to join
            </>
          )}
        </p>
      </div>
      <div class="mt-3 flex flex-wrap justify-end gap-2">
        {single ? (
          <AnswerButtons person={first} {...answers} />
        ) : (
          <>
            <Button size="sm" variant="secondary" onClick={onShowAll}>
              View all
            </Button>
            <Button size="sm" onClick={answers.onAdmitAll}>
              Admit all
            </Button>
          </>
        )}
      </div>
    </div>
  );
}

export interface WaitingListProps extends LobbyAnswers {
  waiting: LobbyWaiter[];
}

/** The people panel's "Waiting" section: each person with Admit and Deny, and Admit all. */
export function WaitingList({ waiting, ...answers }: WaitingListProps) {
  if (waiting.length === 0) {
    return null;
  }
  return (
    <section aria-labelledby="waiting-title" class="border-b border-gray-200">
      <div class="flex items-center justify-between gap-2 px-4 pt-3">
        <h3 id="waiting-title" class="text-sm font-semibold text-gray-900">
          Waiting ({waiting.length})
        </h3>
        {waiting.length > 1 && (
          <Button size="sm" variant="ghost" onClick={answers.onAdmitAll}>
            Admit all
          </Button>
        )}
      </div>
      <ul aria-label="Waiting to join" class="divide-y divide-gray-100 px-4">
        {waiting.map((person) => (
          <li key={person.user_id} class="flex items-center gap-3 py-3">
            <Avatar name={person.name} size="sm" />
            <div class="min-w-0 flex-1">
              <p class="truncate text-sm font-medium text-gray-900">{person.name}</p>
              <p class="text-xs text-gray-600">{waitedFor(person.since)}</p>
            </div>
            <AnswerButtons person={person} {...answers} />
          </li>
        ))}
      </ul>
    </section>
  );
}
