import { route } from 'preact-router';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppNotification } from '@/api';
import { useStore } from '@/store';
import {
  markAllNotificationsRead,
  markNotificationRead,
  notificationsStore,
} from '@/store/notifications';
import { BellIcon } from '@/ui';
import { NotificationList } from './NotificationList';

/** Where a notification leads: the recording it announces, else the meeting link it
 * carries; on this site only. */
export function notificationTarget(item: AppNotification): string | null {
  const url = item.data.recording_url ?? item.data.url;
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.origin === window.location.origin ? parsed.pathname : null;
  } catch {
    return null;
  }
}

/** The header's bell: unread count as a badge, the latest notifications in a panel. */
export function NotificationBell() {
  const items = useStore(notificationsStore, (state) => state.items);
  const unread = useStore(notificationsStore, (state) => state.unread);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  function openItem(item: AppNotification) {
    void markNotificationRead(item.id);
    const target = notificationTarget(item);
    setOpen(false);
    if (target) route(target);
  }

  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications';
  return (
    <div class="relative" ref={root}>
      <button
        type="button"
        class="relative rounded-full p-2 text-gray-600 hover:bg-gray-100 hover:text-gray-900"
        aria-label={label}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
        }}
      >
        <BellIcon class="size-6" />
        {unread > 0 && (
          <span
            data-testid="notification-badge"
            class="absolute -top-0.5 -right-0.5 flex h-5 min-w-5 items-center justify-center rounded-full bg-green-700 px-1 text-xs font-semibold text-white ring-2 ring-white"
            aria-hidden="true"
          >
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          role="dialog"
          aria-label="Notifications"
          class="absolute right-0 z-40 mt-2 w-80 overflow-hidden rounded-xl border border-gray-200 bg-white shadow-lg sm:w-96"
        >
          <div class="flex items-center justify-between border-b border-gray-100 px-4 py-3">
            <h2 class="text-sm font-semibold text-gray-900">Notifications</h2>
            <button
              type="button"
              class="rounded-full px-2 py-1 text-sm font-medium text-green-800 hover:bg-green-50 disabled:text-gray-400 disabled:hover:bg-transparent"
              disabled={unread === 0}
              onClick={() => void markAllNotificationsRead()}
            >
              Mark all read
            </button>
          </div>
          <NotificationList items={items} onOpen={openItem} />
        </div>
      )}
    </div>
  );
}
