import { cn } from '@/lib/cn';
import type { Layout } from '@/store/media';
import { fitGrid } from './grid-fit';
import { SelfView } from './SelfView';
import type { Tile } from './tiles';
import { gridColumns, mainTile } from './tiles';
import { useElementSize } from './use-element-size';
import { VideoTile } from './VideoTile';

const GAP = 8;

/** The video area, filling the space it is given: every tile in a grid sized to fit without
 * scrolling, or one large tile with the others in a strip. With others present, your own
 * camera sits in a small corner (SelfView) and the others get the space. */
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
  const self = tiles.find((tile) => tile.isMe && tile.source === 'camera');
  const others = tiles.filter((tile) => tile !== self);
  const pictureInPicture = self !== undefined && others.length > 0;
  const shown = pictureInPicture ? others : tiles;
  return (
    <div
      data-testid="video-stage"
      data-layout={layout}
      class={cn('relative flex min-h-0 flex-col', className)}
    >
      {layout === 'grid' ? (
        <FittedGrid tiles={shown} />
      ) : (
        <MainAndStrip tiles={shown} layout={layout} focus={focus} />
      )}
      {pictureInPicture && <SelfView tile={self} />}
    </div>
  );
}

function FittedGrid({ tiles }: { tiles: Tile[] }) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  const fit = fitGrid(tiles.length, size.width, size.height, GAP);
  if (fit.width === 0) {
    // Not measured yet (or nothing measures here): columns by the stage's width.
    return (
      <div ref={ref} class="@container min-h-0 flex-1">
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
      ref={ref}
      class="flex min-h-0 flex-1 flex-wrap content-center items-center justify-center"
      style={{ gap: `${GAP}px` }}
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

function MainAndStrip({
  tiles,
  layout,
  focus,
}: {
  tiles: Tile[];
  layout: Layout;
  focus: Tile | null;
}) {
  const main = mainTile(tiles, layout, focus);
  const others = tiles.filter((tile) => tile !== main);
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
      {others.length > 0 && (
        <ul aria-label="Other participants" class="mt-2 flex shrink-0 gap-2 overflow-x-auto pb-1">
          {others.map((tile) => (
            <li key={tile.key} class="w-32 shrink-0 sm:w-44">
              <VideoTile tile={tile} class="aspect-video" />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
