import { useRef, useState } from 'preact/hooks';
import { StreamVideo } from '@/features/devices';
import { cn } from '@/lib/cn';
import type { Quality } from '@/rtc/connection-quality';
import { meetingStore, useStore } from '@/store';
import { Avatar, HandIcon, MaximizeIcon, MicOffIcon } from '@/ui';
import { TileMenu, useLongPress } from './TileMenu';
import type { Tile } from './tiles';
import { useTileVisibility } from './use-tile-visibility';

const QUALITY_LABELS: Record<Quality, string> = {
  good: 'Connection good',
  fair: 'Connection fair',
  poor: 'Connection poor',
};

export function QualityBars({ quality, label }: { quality: Quality; label?: string }) {
  const lit = { good: 3, fair: 2, poor: 1 }[quality];
  const colour = { good: 'bg-green-400', fair: 'bg-warning-500', poor: 'bg-error-500' }[quality];
  return (
    <span
      role="img"
      aria-label={label ?? QUALITY_LABELS[quality]}
      title={label ?? QUALITY_LABELS[quality]}
      class="flex items-end gap-0.5"
    >
      {[1, 2, 3].map((bar) => (
        <span
          key={bar}
          class={cn('w-1 rounded-sm', bar <= lit ? colour : 'bg-white/30')}
          style={{ height: `${bar * 4}px` }}
        />
      ))}
    </span>
  );
}

export function toggleFullscreen(element: Element | null): void {
  if (!element) {
    return;
  }
  if (document.fullscreenElement) {
    void document.exitFullscreen().catch(() => undefined);
  } else {
    void element.requestFullscreen().catch(() => undefined);
  }
}

/** One person's video (or initials when the camera is off) with name, mic, hand and quality. */
export function VideoTile({
  tile,
  class: className,
  style,
}: {
  tile: Tile;
  class?: string;
  /** A size the stage worked out (grid-fit.ts). */
  style?: { width: string; height: string };
}) {
  const ref = useRef<HTMLDivElement>(null);
  useTileVisibility(ref, tile.isMe ? null : `${tile.userId}:${tile.source}`);
  const name = tile.isMe ? `${tile.name} (you)` : tile.name;
  const label = tile.source === 'screen' ? `${name}: shared screen` : name;
  const [menuOpen, setMenuOpen] = useState(false);
  const press = useLongPress(() => {
    setMenuOpen(true);
  });
  const mark = useStore(meetingStore, (state) =>
    state.pinned === tile.key
      ? 'Pinned'
      : state.spotlight === tile.userId && tile.source === 'camera'
        ? 'Spotlight'
        : null,
  );
  return (
    <figure
      ref={ref}
      {...(tile.isMe ? {} : press)}
      data-testid="video-tile"
      data-user-id={tile.userId}
      data-source={tile.source}
      onDblClick={() => {
        toggleFullscreen(ref.current);
      }}
      style={style}
      class={cn(
        'group relative m-0 overflow-hidden rounded-xl bg-gray-800 ring-green-400 transition-shadow',
        tile.speaking && 'ring-4',
        className,
      )}
    >
      {tile.videoOn && tile.stream ? (
        <StreamVideo
          stream={tile.stream}
          mirrored={tile.isMe && tile.source === 'camera'}
          fit={tile.source === 'screen' ? 'contain' : 'cover'}
          label={tile.source === 'screen' ? label : `${label}: video`}
          class="absolute inset-0"
        />
      ) : (
        <div class="absolute inset-0 flex items-center justify-center">
          <Avatar name={tile.name} size="lg" />
        </div>
      )}
      <figcaption class="absolute inset-x-0 bottom-0 flex items-center gap-2 bg-gradient-to-t from-gray-900/80 to-transparent px-3 py-2 text-sm text-white">
        {tile.muted && tile.source === 'camera' && (
          <span
            role="img"
            aria-label="Microphone off"
            title="Microphone off"
            class="text-error-500"
          >
            <MicOffIcon class="size-4" />
          </span>
        )}
        <span class="truncate font-medium">{label}</span>
        {mark && (
          <span class="shrink-0 rounded bg-green-700 px-1.5 text-xs font-semibold">{mark}</span>
        )}
      </figcaption>
      <div class="absolute top-2 right-2 flex items-center gap-2">
        {tile.hand && tile.source === 'camera' && (
          <span
            role="img"
            aria-label="Hand raised"
            title="Hand raised"
            class="rounded-full bg-warning-500 p-1 text-gray-900"
          >
            <HandIcon class="size-4" />
          </span>
        )}
        {tile.quality && (
          <span class="rounded-md bg-gray-900/60 p-1">
            <QualityBars quality={tile.quality} />
          </span>
        )}
      </div>
      <div class="absolute top-2 left-2 flex items-center gap-1">
        <button
          type="button"
          aria-label={`Full screen: ${label}`}
          title="Full screen"
          onClick={() => {
            toggleFullscreen(ref.current);
          }}
          class="rounded-md bg-gray-900/60 p-1.5 text-white opacity-0 group-hover:opacity-100 focus-visible:opacity-100"
        >
          <MaximizeIcon class="size-4" />
        </button>
        {!tile.isMe && <TileMenu tile={tile} state={{ open: menuOpen, setOpen: setMenuOpen }} />}
      </div>
    </figure>
  );
}
