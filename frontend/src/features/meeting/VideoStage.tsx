import { useState } from 'preact/hooks';
import { cn } from '@/lib/cn';
import type { Layout } from '@/store/media';
import type { Lane } from './grid-fit';
import { fitBeside, fitGrid } from './grid-fit';
import type { Corner, SelfPlace } from './SelfView';
import { SelfView, selfViewSize } from './SelfView';
import type { Tile } from './tiles';
import { gridColumns, mainTile } from './tiles';
import { useElementSize } from './use-element-size';
import { VideoTile } from './VideoTile';

const GAP = 8;

/** The video area, filling the space it is given: every tile in a grid sized to fit without
 * scrolling, or one large tile with the others in a strip. With others present, your own
 * camera sits in a small corner of the grid (SelfView), which the grid keeps free, or at
 * the end of the strip; nothing lies over anything else. */
export function VideoStage({
  tiles,
  layout,
  focus = null,
  class: className,
}: {
  tiles: Tile[];
  layout: Layout;
  /** A tile pinned here or in the spotlight: the large one. */
  focus?: Tile | null;
  class?: string;
}) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  const [corner, setCorner] = useState<Corner>('bottom-right');
  const [hidden, setHidden] = useState(false);
  const self = tiles.find((tile) => tile.isMe && tile.source === 'camera');
  const others = tiles.filter((tile) => tile !== self);
  const apart = self !== undefined && others.length > 0;
  const shown = apart ? others : tiles;
  const place: SelfPlace = { corner, hidden, ...selfViewSize(size.width, hidden) };
  return (
    <div
      ref={ref}
      data-testid="video-stage"
      data-layout={layout}
      class={cn('relative flex min-h-0 flex-col', className)}
    >
      {layout === 'grid' ? (
        <FittedGrid tiles={shown} size={size} self={apart ? place : null} />
      ) : (
        <MainAndStrip tiles={shown} layout={layout} focus={focus} self={apart ? self : null} />
      )}
      {apart && layout === 'grid' && (
        <SelfView tile={self} place={place} onMove={setCorner} onHidden={setHidden} />
      )}
    </div>
  );
}

function FittedGrid({
  tiles,
  size,
  self,
}: {
  tiles: Tile[];
  size: { width: number; height: number };
  self: SelfPlace | null;
}) {
  const { fit, lane } = self
    ? fitBeside(tiles.length, size.width, size.height, {
        width: self.width,
        height: self.height,
        top: self.corner.startsWith('top'),
        left: self.corner.endsWith('left'),
      })
    : { fit: fitGrid(tiles.length, size.width, size.height, GAP), lane: null };
  if (fit.width === 0) {
    // Not measured yet (or nothing measures here): columns by the stage's width.
    return (
      <div class="@container min-h-0 flex-1">
        <div class={cn('grid gap-2', gridColumns(tiles.length))}>
          {tiles.map((tile) => (
            <VideoTile key={tile.key} tile={tile} class="aspect-video" />
          ))}
        </div>
      </div>
    );
  }
  return (
    <div
      class="absolute inset-0 flex flex-wrap content-center items-center justify-center"
      style={{ gap: `${GAP}px`, ...padding(lane) }}
    >
      {tiles.map((tile) => (
        <VideoTile
          key={tile.key}
          tile={tile}
          style={{ width: `${fit.width}px`, height: `${fit.height}px` }}
        />
      ))}
    </div>
  );
}

function padding(lane: Lane | null) {
  if (!lane) {
    return {};
  }
  const px = (value: number) => `${value}px`;
  return {
    paddingTop: px(lane.top),
    paddingRight: px(lane.right),
    paddingBottom: px(lane.bottom),
    paddingLeft: px(lane.left),
  };
}

function MainAndStrip({
  tiles,
  layout,
  focus,
  self,
}: {
  tiles: Tile[];
  layout: Layout;
  focus: Tile | null;
  /** My own camera, last in the strip. */
  self: Tile | null;
}) {
  const main = mainTile(tiles, layout, focus);
  const strip = tiles.filter((tile) => tile !== main);
  if (self) {
    strip.push(self);
  }
  return (
    <>
      <div data-testid="main-view" class="flex min-h-0 flex-1 items-center justify-center">
        {main && (
          <VideoTile
            tile={main}
            // a shared screen is shown whole (contain), never cropped
            class="aspect-video max-h-full w-full max-w-full"
          />
        )}
      </div>
      {strip.length > 0 && (
        <ul aria-label="Other participants" class="mt-2 flex shrink-0 gap-2 overflow-x-auto pb-1">
          {strip.map((tile) => (
            <li key={tile.key} class="w-32 shrink-0 sm:w-44">
              <VideoTile tile={tile} class="aspect-video" />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
