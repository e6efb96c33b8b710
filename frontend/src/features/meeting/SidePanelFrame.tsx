import type { ComponentChildren } from 'preact';
import { CloseIcon } from '@/ui';
import type { SidePanel } from './MeetingControls';

export interface SidePanelFrameProps {
  panel: SidePanel;
  onClose: () => void;
  children: ComponentChildren;
}

/** The chat or people panel beside the stage; full screen, with a close button, on phones. */
export function SidePanelFrame({ panel, onClose, children }: SidePanelFrameProps) {
  const name = panel === 'chat' ? 'chat' : 'people';
  return (
    <aside
      aria-label={panel === 'chat' ? 'Chat' : 'People'}
      class="fixed inset-0 z-30 flex flex-col bg-white p-3 lg:static lg:z-auto lg:h-full lg:w-[22rem] lg:shrink-0 lg:bg-transparent lg:p-0 xl:w-[24rem]"
    >
      <div class="mb-2 flex justify-end lg:hidden">
        <button
          type="button"
          aria-label={`Close ${name}`}
          onClick={onClose}
          class="rounded-md p-2 text-gray-700 hover:bg-gray-100"
        >
          <CloseIcon />
        </button>
      </div>
      {children}
    </aside>
  );
}
