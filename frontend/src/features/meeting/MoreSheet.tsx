import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

export interface SheetAction {
  label: string;
  icon: ComponentChildren;
  onClick: () => void;
  disabled?: boolean;
}

/** On a phone, the controls that do not fit one row: a sheet that rises over the toolbar. */
export function MoreSheet({ actions, onClose }: { actions: SheetAction[]; onClose: () => void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose]);
  return (
    <>
      <button
        type="button"
        aria-label="Close more controls"
        tabIndex={-1}
        class="fixed inset-0 z-30 cursor-default bg-black/40"
        onClick={onClose}
      />
      <div
        role="dialog"
        aria-label="More controls"
        class="fixed inset-x-2 bottom-[max(4.5rem,calc(env(safe-area-inset-bottom)+4rem))] z-40 rounded-2xl bg-white p-2 shadow-xl"
      >
        <ul class="grid grid-cols-1 gap-1">
          {actions.map((action) => (
            <li key={action.label}>
              <button
                type="button"
                disabled={action.disabled}
                onClick={() => {
                  onClose();
                  action.onClick();
                }}
                class="flex w-full items-center gap-3 rounded-xl px-3 py-3 text-left text-sm font-medium text-gray-900 hover:bg-gray-100 disabled:opacity-50"
              >
                <span class="text-gray-600">{action.icon}</span>
                {action.label}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
