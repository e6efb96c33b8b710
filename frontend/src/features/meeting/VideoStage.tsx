import { cn } from '@/lib/cn';
import type { Layout } from '@/store/media';
import type { Tile } from './tiles';
import { gridColumns, mainTile } from './tiles';
import { VideoTile } from './VideoTile';

/** The video area: every tile in a grid, or one large tile with the others in a strip. */
export function VideoStage({
  tiles,
  layout,
  class: className,
}: {
  tiles: Tile[];
  layout: Layout;
  class?: string;
}) {
  if (layout === 'grid') {
    // The columns follow the stage's width (it narrows when the chat is open).
    return (
      <div data-testid="video-stage" data-layout="grid" class={cn('@container', className)}>
        <div class={cn('grid gap-2 sm:gap-3', gridColumns(tiles.length))}>
          {tiles.map((tile) => (
            <VideoTile key={tile.key} tile={tile} class="aspect-video" />
          ))}
        </div>
      </div>
    );
  }
  const main = mainTile(tiles, layout);
  const others = tiles.filter((tile) => tile !== main);
  return (
    <div
      data-testid="video-stage"
      data-layout={layout}
      class={cn('flex flex-col gap-2 sm:gap-3', className)}
    >
      <div data-testid="main-view">
        {main && <VideoTile tile={main} class="aspect-video max-h-[55dvh] w-full" />}
      </div>
      {others.length > 0 && (
        <ul aria-label="Other participants" class="flex gap-2 overflow-x-auto pb-1">
          {others.map((tile) => (
            <li key={tile.key} class="w-36 shrink-0 sm:w-48">
              <VideoTile tile={tile} class="aspect-video" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
