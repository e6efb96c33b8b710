import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { cn } from '@/lib/cn';
import { CloseIcon } from './icons';
import { Logo } from './Logo';

export interface NavItem {
  href: string;
  label: string;
  icon: ComponentChildren;
}

export interface SidebarProps {
  items: readonly NavItem[];
  currentPath: string;
  /** Drawer state on narrow screens; wide screens always show the sidebar. */
  open: boolean;
  onClose: () => void;
  /** Shown above the links, e.g. a "New meeting" button. */
  action?: ComponentChildren;
}

export function isActivePath(href: string, currentPath: string): boolean {
  const path = currentPath.split(/[?#]/)[0] ?? '/';
  if (href === '/') {
    return path === '/';
  }
  return path === href || path.startsWith(`${href}/`);
}

export function Sidebar({ items, currentPath, open, onClose, action }: SidebarProps) {
  const panelRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) {
      return;
    }
    panelRef.current?.querySelector<HTMLElement>('a[href]')?.focus();
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape') {
        onClose();
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open, onClose]);

  return (
    <>
      {open && (
        <div
          class="fixed inset-0 z-40 bg-gray-900/40 lg:hidden"
          data-testid="sidebar-backdrop"
          onClick={onClose}
        />
      )}
      <aside
        id="app-sidebar"
        ref={panelRef}
        data-open={open}
        class={cn(
          'fixed inset-y-0 left-0 z-50 flex w-72 flex-col bg-white shadow-xl transition-[translate,visibility] duration-200',
          'lg:visible lg:sticky lg:top-16 lg:z-auto lg:h-[calc(100dvh-4rem)] lg:w-64 lg:shrink-0 lg:translate-x-0 lg:bg-transparent lg:shadow-none',
          // Off-screen links must not take keyboard focus, hence `invisible` as well.
          open ? 'translate-x-0' : 'invisible -translate-x-full',
        )}
      >
        <div class="flex h-16 items-center justify-between border-b border-gray-200 px-4 lg:hidden">
          <Logo />
          <button
            type="button"
            aria-label="Close navigation"
            class="rounded-full p-2 text-gray-600 hover:bg-gray-100"
            onClick={onClose}
          >
            <CloseIcon />
          </button>
        </div>
        {action && <div class="px-3 pt-4 pb-2">{action}</div>}
        <nav aria-label="Main" class="flex flex-col gap-1 p-3">
          {items.map((item) => {
            const active = isActivePath(item.href, currentPath);
            return (
              <a
                key={item.href}
                href={item.href}
                aria-current={active ? 'page' : undefined}
                class={cn(
                  'flex items-center gap-3 rounded-full px-4 py-2.5 text-sm font-medium transition-colors',
                  active
                    ? 'bg-green-100 text-green-800'
                    : 'text-gray-700 hover:bg-gray-100 hover:text-gray-900',
                )}
              >
                <span class={active ? 'text-green-700' : 'text-gray-500'}>{item.icon}</span>
                {item.label}
              </a>
            );
          })}
        </nav>
      </aside>
    </>
  );
}
