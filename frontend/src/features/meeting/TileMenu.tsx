import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { cn } from '@/lib/cn';
import { meetingStore, pinTile, selectCanModerate, setSpotlight, useStore } from '@/store';
import { callStore, setVolume, toggleLocalMute } from '@/store/media-call';
import { ConfirmDialog, MoreIcon, VolumeIcon, VolumeOffIcon } from '@/ui';
import { attempt, mutePerson, removePerson } from './meeting-actions';
import type { Tile } from './tiles';

/** How long a finger rests on a tile before its menu opens (a long press). */
export const LONG_PRESS_MS = 500;
const EDGE = 8; // px kept free between the menu and the viewport's edge

export interface TileMenuState {
  open: boolean;
  setOpen: (open: boolean) => void;
}

/** Opens a tile's menu on a long press (touch) or a right click; the menu button does too. */
export function useLongPress(open: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancel = () => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
  };
  useEffect(() => cancel, []);
  return {
    onTouchStart: () => {
      cancel();
      timer.current = setTimeout(open, LONG_PRESS_MS);
    },
    onTouchEnd: cancel,
    onTouchMove: cancel,
    onContextMenu: (event: Event) => {
      event.preventDefault();
      cancel();
      open();
    },
  };
}

function Item({
  onClick,
  disabled,
  danger,
  children,
}: {
  onClick: () => void;
  disabled?: boolean;
  danger?: boolean;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      disabled={disabled}
      onClick={onClick}
      class={cn(
        'w-full rounded-lg px-3 py-2 text-left text-sm font-medium hover:bg-gray-100 disabled:opacity-50',
        danger ? 'text-error-600' : 'text-gray-900',
      )}
    >
      {children}
    </button>
  );
}

/** Keeps a fixed-position popover next to its button and inside the viewport. */
function usePlacement(anchor: HTMLElement | null, open: boolean) {
  const menu = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState({ left: 0, top: 0 });
  useLayoutEffect(() => {
    if (!open || !anchor || !menu.current) {
      return;
    }
    const button = anchor.getBoundingClientRect();
    const box = menu.current.getBoundingClientRect();
    const left = Math.max(EDGE, Math.min(button.left, window.innerWidth - box.width - EDGE));
    const below = button.bottom + 4;
    const top =
      below + box.height <= window.innerHeight - EDGE
        ? below
        : Math.max(EDGE, button.top - box.height - 4);
    setPlace({ left, top });
  }, [open, anchor]);
  return { menu, place };
}

/** A tile's actions: pin here, spotlight for everyone, mute and remove (hosts and
 * moderators), and this person's volume for me. Reached by the "…" button (hover, focus),
 * a long press or a right click. */
export function TileMenu({ tile, state }: { tile: Tile; state: TileMenuState }) {
  const { open, setOpen } = state;
  const button = useRef<HTMLButtonElement>(null);
  const meeting = useStore(meetingStore, (s) => s);
  const volume = useStore(callStore, (s) => s.volumes[tile.userId] ?? 1);
  const localMuted = useStore(callStore, (s) => s.localMuted[tile.userId] === true);
  const [removing, setRemoving] = useState(false);
  const { menu, place } = usePlacement(button.current, open);
  const person = meeting.participants.find((p) => p.user_id === tile.userId);
  const lead = selectCanModerate(meeting) && meeting.connection === 'open' && !tile.isMe;
  const moderate = lead && person !== undefined && person.role !== 'host';
  const pinned = meeting.pinned === tile.key;
  const spotlit = meeting.spotlight === tile.userId;
  const label = tile.source === 'screen' ? `${tile.name}: shared screen` : tile.name;

  useEffect(() => {
    if (!open) {
      return;
    }
    menu.current?.querySelector<HTMLElement>('button:not([disabled]), input')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        setOpen(false);
        button.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const act = (action: () => void) => () => {
    setOpen(false);
    action();
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-label={`Options for ${label}`}
        aria-haspopup="dialog"
        aria-expanded={open}
        title="Options"
        onClick={() => {
          setOpen(!open);
        }}
        class="rounded-md bg-gray-900/60 p-1.5 text-white opacity-0 group-hover:opacity-100 focus-visible:opacity-100 aria-expanded:opacity-100 [@media(hover:none)]:opacity-100"
      >
        <MoreIcon class="size-4" />
      </button>
      {open && (
        <>
          <button
            type="button"
            aria-label="Close options"
            tabIndex={-1}
            class="fixed inset-0 z-40 cursor-default"
            onClick={() => {
              setOpen(false);
            }}
          />
          <div
            ref={menu}
            role="dialog"
            aria-label={`Options for ${label}`}
            data-testid="tile-menu"
            style={{ left: `${place.left}px`, top: `${place.top}px` }}
            class="fixed z-50 w-60 rounded-xl bg-white p-1.5 text-gray-900 shadow-xl"
          >
            <Item
              onClick={act(() => {
                pinTile(pinned ? null : tile.key);
              })}
            >
              {pinned ? 'Unpin' : 'Pin for me'}
            </Item>
            {lead && tile.source === 'camera' && (
              <Item
                onClick={act(() => {
                  void attempt('Could not change the spotlight', () =>
                    setSpotlight(spotlit ? null : tile.userId),
                  );
                })}
              >
                {spotlit ? 'Remove spotlight' : 'Spotlight for everyone'}
              </Item>
            )}
            {moderate && tile.source === 'camera' && (
              <>
                <Item
                  disabled={person.muted}
                  onClick={act(() => {
                    mutePerson(person);
                  })}
                >
                  {person.muted ? 'Muted' : 'Mute for everyone'}
                </Item>
                <Item
                  danger
                  onClick={act(() => {
                    setRemoving(true);
                  })}
                >
                  Remove from meeting
                </Item>
              </>
            )}
            {!tile.isMe && tile.source === 'camera' && (
              <div class="mt-1 flex items-center gap-2 border-t border-gray-100 px-2 pt-2 pb-1">
                <button
                  type="button"
                  aria-pressed={localMuted}
                  aria-label={`Mute ${tile.name} for me`}
                  title={localMuted ? 'Muted for you only' : 'Mute for me only'}
                  onClick={() => {
                    toggleLocalMute(tile.userId);
                  }}
                  class="rounded-md p-1 text-gray-700 hover:bg-gray-100"
                >
                  {localMuted ? <VolumeOffIcon class="size-4" /> : <VolumeIcon class="size-4" />}
                </button>
                <input
                  type="range"
                  min={0}
                  max={100}
                  value={Math.round(volume * 100)}
                  disabled={localMuted}
                  aria-label={`Volume of ${tile.name}`}
                  onInput={(event) => {
                    setVolume(tile.userId, Number(event.currentTarget.value) / 100);
                  }}
                  class="h-1 flex-1 cursor-pointer accent-green-700"
                />
              </div>
            )}
          </div>
        </>
      )}
      {person && (
        <ConfirmDialog
          open={removing}
          title={`Remove ${person.name}?`}
          description="They leave the meeting at once and cannot join again until a host or moderator lets them back in from the room's page."
          confirmLabel="Remove"
          onConfirm={() => {
            setRemoving(false);
            void removePerson(person);
          }}
          onCancel={() => {
            setRemoving(false);
          }}
        />
      )}
    </>
  );
}
