import { useEffect, useRef } from 'preact/hooks';

export type ShortcutAction =
  'mute' | 'video' | 'share' | 'hand' | 'chat' | 'people' | 'layout' | 'fullscreen' | 'help';

export const SHORTCUTS: readonly { key: string; action: ShortcutAction; label: string }[] = [
  { key: 'M', action: 'mute', label: 'Mute or unmute the microphone' },
  { key: 'V', action: 'video', label: 'Turn the camera off or on' },
  { key: 'S', action: 'share', label: 'Share the screen or stop sharing' },
  { key: 'H', action: 'hand', label: 'Raise or lower your hand' },
  { key: 'C', action: 'chat', label: 'Open or close the chat' },
  { key: 'P', action: 'people', label: 'Open or close the people list' },
  { key: 'L', action: 'layout', label: 'Next layout (grid, speaker, screen)' },
  { key: 'F', action: 'fullscreen', label: 'Full screen' },
  { key: '?', action: 'help', label: 'Show these shortcuts' },
];

/** Whether a key press belongs to a text field or a dialog rather than the meeting. */
function typing(event: KeyboardEvent): boolean {
  const target = event.target;
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('[role="dialog"]') !== null
  );
}

export function shortcutFor(event: KeyboardEvent): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) {
    return null;
  }
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  return SHORTCUTS.find((s) => s.key === key)?.action ?? null;
}

/** Single-key shortcuts while the meeting is open (not while typing). */
export function useMeetingShortcuts(run: (action: ShortcutAction) => void): void {
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const action = shortcutFor(event);
      if (action) {
        event.preventDefault();
        runRef.current(action);
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
    };
  }, []);
}
