import { toggleHand, toggleMute, toggleShare, toggleVideo } from './meeting-actions';
import type { SidePanel } from './MeetingControls';
import type { ShortcutAction } from './shortcuts';

/** What the page lends the keyboard shortcuts. */
export interface ShortcutContext {
  /** The meeting's socket is open. */
  connected: boolean;
  /** My role may send media. */
  canPublish: boolean;
  /** The room lets me share my screen. */
  canShare: boolean;
  togglePanel: (panel: SidePanel) => void;
  nextLayout: () => void;
  fullscreen: () => void;
  help: () => void;
}

/** Runs a shortcut's action; media and hand only while connected, media only if I may publish. */
export function runShortcut(action: ShortcutAction, context: ShortcutContext): void {
  const { connected, canPublish } = context;
  const run: Record<ShortcutAction, () => void> = {
    mute: () => {
      if (connected && canPublish) toggleMute();
    },
    video: () => {
      if (connected && canPublish) toggleVideo();
    },
    share: () => {
      if (connected && context.canShare) toggleShare();
    },
    hand: () => {
      if (connected) toggleHand();
    },
    chat: () => {
      context.togglePanel('chat');
    },
    people: () => {
      context.togglePanel('people');
    },
    layout: context.nextLayout,
    fullscreen: context.fullscreen,
    help: context.help,
  };
  run[action]();
}
