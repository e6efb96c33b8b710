import { useState } from 'preact/hooks';
import { cn } from '@/lib/cn';
import { EyeIcon, EyeOffIcon } from '@/ui';
import type { Tile } from './tiles';
import { VideoTile } from './VideoTile';

const CORNERS = ['bottom-right', 'bottom-left', 'top-left', 'top-right'] as const;
type Corner = (typeof CORNERS)[number];

const CORNER_CLASSES: Record<Corner, string> = {
  'bottom-right': 'right-2 bottom-2',
  'bottom-left': 'bottom-2 left-2',
  'top-left': 'top-2 left-2',
  'top-right': 'top-2 right-2',
};

/** Your own camera in a small corner over the stage, so the others get the space. It can be
 * moved to another corner (when it covers someone) and hidden. */
export function SelfView({ tile }: { tile: Tile }) {
  const [hidden, setHidden] = useState(false);
  const [corner, setCorner] = useState<Corner>('bottom-right');
  const place = CORNER_CLASSES[corner];
  if (hidden) {
    return (
      <button
        type="button"
        onClick={() => {
          setHidden(false);
        }}
        class={cn(
          'absolute z-10 flex items-center gap-1.5 rounded-full bg-gray-800/90 px-3 py-1.5 text-sm text-white shadow-lg hover:bg-gray-700',
          place,
        )}
      >
        <EyeIcon class="size-4" /> Show self-view
      </button>
    );
  }
  const next = CORNERS[(CORNERS.indexOf(corner) + 1) % CORNERS.length] ?? 'bottom-right';
  return (
    <div
      data-testid="self-view"
      class={cn('group/self absolute z-10 w-32 shadow-xl sm:w-48 lg:w-56', place)}
    >
      <VideoTile tile={tile} class="aspect-video ring-1 ring-white/20" />
      <div class="absolute top-1 right-1 flex gap-1 opacity-100 sm:opacity-0 sm:group-focus-within/self:opacity-100 sm:group-hover/self:opacity-100">
        <button
          type="button"
          aria-label="Move self-view to another corner"
          title="Move to another corner"
          onClick={() => {
            setCorner(next);
          }}
          class="rounded-md bg-gray-900/70 px-1.5 py-1 text-xs text-white"
        >
          Move
        </button>
        <button
          type="button"
          aria-label="Hide self-view"
          title="Hide self-view"
          onClick={() => {
            setHidden(true);
          }}
          class="rounded-md bg-gray-900/70 p-1 text-white"
        >
          <EyeOffIcon class="size-4" />
        </button>
      </div>
    </div>
  );
}
