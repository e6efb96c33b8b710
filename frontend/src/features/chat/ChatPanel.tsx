import { useEffect, useRef, useState } from 'preact/hooks';
import { cn } from '@/lib/cn';
import { Button, SendIcon, Spinner } from '@/ui';
import { ChatText } from './ChatText';

/** One line as the panel shows it. */
export interface ChatPanelLine {
  id: string;
  authorId: string | null;
  authorName: string;
  text: string;
  createdAt: string;
  pending: boolean;
  failed: string | null;
}

export interface ChatPanelProps {
  lines: ChatPanelLine[];
  me: string | null;
  history: 'idle' | 'loading' | 'loaded' | 'failed';
  /** False when the connection is down: the composer waits. */
  canSend: boolean;
  /** Why I may not write at all (my role or the room's settings), shown instead of the
   * composer; null when I may. */
  readOnly?: string | null;
  onSend: (text: string) => void;
  class?: string;
}

const MAX_LENGTH = 4000;

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The meeting chat: history and live lines, newest at the bottom, and a composer. */
export function ChatPanel({
  lines,
  me,
  history,
  canSend,
  readOnly = null,
  onSend,
  class: className,
}: ChatPanelProps) {
  const [draft, setDraft] = useState('');
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const list = listRef.current;
    if (list) {
      list.scrollTop = list.scrollHeight;
    }
  }, [lines.length]);

  function submit(event: Event) {
    event.preventDefault();
    const text = draft.trim();
    if (text && canSend) {
      onSend(text);
      setDraft('');
    }
  }

  return (
    <section
      aria-labelledby="chat-title"
      class={cn('flex min-h-0 flex-col rounded-2xl border border-gray-200 bg-white', className)}
    >
      <h2
        id="chat-title"
        class="border-b border-gray-200 px-4 py-3 text-sm font-semibold text-gray-900"
      >
        Chat
      </h2>
      {/* The log wraps the list: a role on the <ol> itself would take its list semantics away. */}
      <div
        ref={listRef}
        role="log"
        aria-label="Chat messages"
        aria-live="polite"
        class="flex min-h-40 flex-1 flex-col overflow-y-auto px-4 py-3"
      >
        <ol class="flex flex-1 flex-col gap-3">
          {history === 'loading' && (
            <li class="flex items-center gap-2 text-sm text-gray-600">
              <Spinner /> Loading earlier messages…
            </li>
          )}
          {history === 'failed' && (
            <li class="text-sm text-gray-600">Earlier messages could not be loaded.</li>
          )}
          {lines.length === 0 && history !== 'loading' && (
            <li class="m-auto text-sm text-gray-500">No messages yet. Say hello!</li>
          )}
          {lines.map((line) => (
            <li key={line.id} class={cn(line.pending && 'opacity-60')}>
              <p class="flex items-baseline gap-2 text-xs text-gray-600">
                <span class="font-semibold text-gray-900">
                  {line.authorId === me ? 'You' : line.authorName}
                </span>
                <time dateTime={line.createdAt}>{timeOf(line.createdAt)}</time>
                {line.pending && <span>Sending…</span>}
              </p>
              <ChatText text={line.text} />
              {line.failed && (
                <p class="text-xs text-error-600" role="alert">
                  Not sent: {line.failed}
                </p>
              )}
            </li>
          ))}
        </ol>
      </div>
      {readOnly ? (
        <p class="border-t border-gray-200 p-3 text-sm text-gray-600" data-testid="chat-read-only">
          {readOnly}
        </p>
      ) : (
        <form onSubmit={submit} class="flex items-center gap-2 border-t border-gray-200 p-3">
          <label for="chat-draft" class="sr-only">
            Message
          </label>
          <input
            id="chat-draft"
            type="text"
            value={draft}
            maxLength={MAX_LENGTH}
            autoComplete="off"
            placeholder={canSend ? 'Send a message' : 'Waiting for the connection…'}
            disabled={!canSend}
            onInput={(event) => {
              setDraft(event.currentTarget.value);
            }}
            class="h-10 min-w-0 flex-1 rounded-full border border-gray-300 bg-white px-4 text-sm text-gray-900 placeholder:text-gray-500 disabled:bg-gray-50"
          />
          <Button
            type="submit"
            size="md"
            icon={<SendIcon />}
            disabled={!canSend || !draft.trim()}
            aria-label="Send message"
          >
            <span class="hidden sm:inline">Send</span>
          </Button>
        </form>
      )}
    </section>
  );
}
