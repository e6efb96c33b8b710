import { Button, Modal } from '@/ui';
import { SHORTCUTS } from './shortcuts';

/** The keyboard shortcuts, opened with ? or the keyboard button. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      title="Keyboard shortcuts"
      description="They work anywhere in the meeting except while typing."
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <dl class="divide-y divide-gray-100">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.key} class="flex items-center justify-between gap-4 py-2">
            <dt class="text-sm text-gray-700">{shortcut.label}</dt>
            <dd>
              <kbd class="rounded-md border border-gray-300 bg-gray-50 px-2 py-0.5 font-mono text-sm text-gray-900">
                {shortcut.key}
              </kbd>
            </dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
