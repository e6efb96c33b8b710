import { useEffect, useRef, useState } from 'preact/hooks';
import { Avatar } from './Avatar';
import { ChevronDownIcon } from './icons';

export interface MenuUser {
  name: string;
  email: string;
  avatarUrl?: string | null;
}

export interface UserMenuProps {
  user: MenuUser;
  onSignOut: () => void;
}

const ITEM =
  'block w-full rounded-lg px-3 py-2 text-left text-sm text-gray-700 hover:bg-gray-100 focus:bg-gray-100';

const STEPS: Partial<Record<string, (index: number, count: number) => number>> = {
  ArrowDown: (index, count) => (index + 1) % count,
  ArrowUp: (index, count) => (index - 1 + count) % count,
  Home: () => 0,
  End: (_, count) => count - 1,
};

/** Arrow keys, Home and End move between the menu's items, as in any menu. */
function moveAmongItems(root: HTMLElement, event: KeyboardEvent) {
  const step = STEPS[event.key];
  const items = Array.from(root.querySelectorAll<HTMLElement>('[role="menuitem"]'));
  if (!step || items.length === 0) {
    return;
  }
  event.preventDefault();
  const index = items.indexOf(document.activeElement as HTMLElement);
  // From the menu button, Down and Home enter at the top, Up and End at the bottom.
  const fromOutside = event.key === 'ArrowUp' || event.key === 'End' ? items.length - 1 : 0;
  items[index < 0 ? fromOutside : step(index, items.length)]?.focus();
}

export function UserMenu({ user, onSignOut }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) {
      return;
    }
    function onPointerDown(event: PointerEvent) {
      if (!rootRef.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    }
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      } else if (rootRef.current) {
        moveAmongItems(rootRef.current, event);
      }
    }
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
  };

  return (
    <div ref={rootRef} class="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Account menu for ${user.name}`}
        class="flex items-center gap-2 rounded-full p-0.5 hover:bg-gray-100 sm:pr-2"
        onClick={() => {
          setOpen(!open);
        }}
      >
        <Avatar name={user.name} src={user.avatarUrl ?? null} size="sm" />
        <span class="hidden max-w-40 truncate text-sm font-medium text-gray-800 sm:block">
          {user.name}
        </span>
        <ChevronDownIcon class="hidden size-4 text-gray-500 sm:block" />
      </button>
      {open && (
        <div
          role="menu"
          class="absolute right-0 z-50 mt-2 w-60 rounded-xl border border-gray-200 bg-white p-1.5 shadow-lg"
        >
          <div class="border-b border-gray-100 px-3 pt-1.5 pb-2.5">
            <p class="truncate text-sm font-medium text-gray-900">{user.name}</p>
            <p class="truncate text-sm text-gray-500">{user.email}</p>
          </div>
          <div class="pt-1">
            <a role="menuitem" href="/profile" class={ITEM} onClick={close}>
              Profile
            </a>
            <a role="menuitem" href="/settings" class={ITEM} onClick={close}>
              Settings
            </a>
            <button
              role="menuitem"
              type="button"
              class={ITEM}
              onClick={() => {
                close();
                onSignOut();
              }}
            >
              Sign out
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
