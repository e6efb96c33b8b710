import type { AppNotification } from '@/api';
import { cn } from '@/lib/cn';
import { relativeTime } from '@/lib/time';

export interface NotificationListProps {
  items: readonly AppNotification[];
  onOpen: (notification: AppNotification) => void;
  now?: Date;
}

/** Newest first; unread ones stand out with a dot and a tinted row. Text only, no HTML. */
export function NotificationList({ items, onOpen, now }: NotificationListProps) {
  if (items.length === 0) {
    return <p class="px-4 py-6 text-center text-sm text-gray-500">You have no notifications.</p>;
  }
  return (
    <ul class="max-h-96 divide-y divide-gray-100 overflow-y-auto" aria-label="Notifications">
      {items.map((item) => (
        <li key={item.id}>
          <button
            type="button"
            class={cn(
              'flex w-full items-start gap-3 px-4 py-3 text-left hover:bg-gray-50 focus:bg-gray-50',
              !item.is_read && 'bg-green-50/60',
            )}
            onClick={() => {
              onOpen(item);
            }}
          >
            <span
              class={cn(
                'mt-1.5 size-2 shrink-0 rounded-full',
                item.is_read ? 'bg-transparent' : 'bg-green-600',
              )}
              aria-hidden="true"
            />
            <span class="min-w-0 flex-1">
              <span class="block text-sm font-medium text-gray-900">
                {item.title}
                {!item.is_read && <span class="sr-only"> (unread)</span>}
              </span>
              <span class="block text-sm text-gray-600">{item.message}</span>
              <span class="mt-0.5 block text-xs text-gray-500">
                {relativeTime(item.created_at, now)}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
