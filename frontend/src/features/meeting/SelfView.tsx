import { cn } from '@/lib/cn';
import { EyeIcon, EyeOffIcon } from '@/ui';
import type { Tile } from './tiles';
import { VideoTile } from './VideoTile';

export const CORNERS = ['bottom-right', 'bottom-left', 'top-left', 'top-right'] as const;
export type Corner = (typeof CORNERS)[number];

const CORNER_CLASSES: Record<Corner, string> = {
  'bottom-right': 'right-2 bottom-2',
  'bottom-left': 'bottom-2 left-2',
  'top-left': 'top-2 left-2',
  'top-right': 'top-2 right-2',
};

/** Where the self-view sits, and how large it is (the stage keeps that corner free). */
export interface SelfPlace {
  corner: Corner;
  hidden: boolean;
  width: number;
  height: number;
}

/** How large the self-view is on a stage this wide; hidden, the "Show self-view" pill. */
export function selfViewSize(stageWidth: number, hidden: boolean) {
  if (hidden) {
    return { width: 150, height: 36 };
  }
  const width = stageWidth < 480 ? 128 : stageWidth < 900 ? 192 : 224;
  return { width, height: Math.round((width * 9) / 16) };
}

/** Your own camera in a small corner over the stage, so the others get the space. It can be
 * moved to another corner (when it covers someone) and hidden. */
export function SelfView({
  tile,
  place,
  onMove,
  onHidden,
}: {
  tile: Tile;
  place: SelfPlace;
  onMove: (corner: Corner) => void;
  onHidden: (hidden: boolean) => void;
}) {
  const position = CORNER_CLASSES[place.corner];
  if (place.hidden) {
    return (
      <button
        type="button"
        onClick={() => {
          onHidden(false);
        }}
        class={cn(
          'absolute z-10 flex items-center gap-1.5 rounded-full bg-gray-800/90 px-3 py-1.5 text-sm text-white shadow-lg hover:bg-gray-700',
          position,
        )}
      >
        <EyeIcon class="size-4" /> Show self-view
      </button>
    );
  }
  const next = CORNERS[(CORNERS.indexOf(place.corner) + 1) % CORNERS.length] ?? 'bottom-right';
  return (
    <div
      data-testid="self-view"
      style={{ width: `${place.width}px` }}
      class={cn('group/self absolute z-10 shadow-xl', position)}
    >
      <VideoTile tile={tile} class="aspect-video ring-1 ring-white/20" />
      <div class="absolute top-1 right-1 flex gap-1 opacity-100 sm:opacity-0 sm:group-focus-within/self:opacity-100 sm:group-hover/self:opacity-100">
        <button
          type="button"
          aria-label="Move self-view to another corner"
          title="Move to another corner"
          onClick={() => {
            onMove(next);
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
            onHidden(true);
          }}
          class="rounded-md bg-gray-900/70 p-1 text-white"
        >
          <EyeOffIcon class="size-4" />
        </button>
      </div>
    </div>
  );
}
