import { useState } from 'preact/hooks';
import type { Room } from '@/api';
import { errorMessage } from '@/api';
import { cancelRoom, deleteRoom, endRoom, showToast } from '@/store';
import { ConfirmDialog } from '@/ui';

export type RoomActionKind = 'cancel' | 'delete' | 'end';

export interface PendingRoomAction {
  kind: RoomActionKind;
  room: Room;
}

interface ActionText {
  title: string;
  description: (room: Room) => string;
  confirmLabel: string;
  /** The safe choice, focused first: says what it keeps, not a bare "Cancel". */
  keepLabel: string;
  done: string;
  failed: string;
  run: (room: Room) => Promise<unknown>;
}

const ACTIONS: Record<RoomActionKind, ActionText> = {
  cancel: {
    title: 'Cancel this meeting?',
    description: (room) =>
      `“${room.name}” is called off for everyone and its link stops working. This cannot be undone.`,
    confirmLabel: 'Cancel meeting',
    keepLabel: 'Keep meeting',
    done: 'Meeting cancelled',
    failed: 'Could not cancel the meeting',
    run: (room) => cancelRoom(room.id),
  },
  delete: {
    title: 'Delete this room?',
    description: (room) =>
      `“${room.name}”, its history and its chat are deleted for everyone. This cannot be undone.`,
    confirmLabel: 'Delete room',
    keepLabel: 'Keep room',
    done: 'Room deleted',
    failed: 'Could not delete the room',
    run: (room) => deleteRoom(room.id),
  },
  end: {
    title: 'End the meeting for everyone?',
    description: (room) =>
      room.persistent
        ? 'Everyone leaves now. The room stays open for the next meeting.'
        : 'Everyone leaves now and the room closes for good.',
    confirmLabel: 'End for everyone',
    keepLabel: 'Keep meeting going',
    done: 'Meeting ended',
    failed: 'Could not end the meeting',
    run: (room) => endRoom(room.id),
  },
};

export interface RoomActionDialogProps {
  pending: PendingRoomAction | null;
  onClose: () => void;
  /** After the action succeeded, e.g. to leave a deleted room's page. */
  onDone?: (kind: RoomActionKind) => void;
}

/** Asks before cancelling, ending or deleting a room, then does it and says how it went. */
export function RoomActionDialog({ pending, onClose, onDone }: RoomActionDialogProps) {
  const [busy, setBusy] = useState(false);
  const text = pending ? ACTIONS[pending.kind] : null;

  async function confirm() {
    if (!pending || !text) {
      return;
    }
    setBusy(true);
    try {
      await text.run(pending.room);
      showToast({ tone: 'success', title: text.done, description: pending.room.name });
      onClose();
      onDone?.(pending.kind);
    } catch (error) {
      showToast({ tone: 'error', title: text.failed, description: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      open={pending !== null}
      title={text?.title ?? ''}
      {...(pending && text ? { description: text.description(pending.room) } : {})}
      confirmLabel={text?.confirmLabel ?? ''}
      cancelLabel={text?.keepLabel ?? 'Cancel'}
      busy={busy}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    />
  );
}
