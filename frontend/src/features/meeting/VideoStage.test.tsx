import { fireEvent, render, screen, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { LiveParticipant } from '@/api';
import { fakeStream, FakeTrack } from '@/test/media';
import { aLiveParticipant } from '@/test/meeting';
import type { Tile } from './tiles';
import { buildTiles, effectiveLayout, focusTile, gridColumns, mainTile } from './tiles';
import { VideoStage } from './VideoStage';

const ayu = aLiveParticipant();
const budi = aLiveParticipant({ user_id: 'u-budi', name: 'Budi Santoso', role: 'participant' });
const cem = aLiveParticipant({ user_id: 'u-cem', name: 'Cem Yilmaz', role: 'participant' });

function tilesFor(
  participants: LiveParticipant[],
  extra: Partial<Parameters<typeof buildTiles>[0]> = {},
) {
  const camera = fakeStream([new FakeTrack('audio'), new FakeTrack('video')], 'u-budi');
  return buildTiles({
    participants,
    me: 'u-ayu',
    activeSpeaker: null,
    remotes: {
      'u-budi': {
        userId: 'u-budi',
        source: 'camera',
        stream: camera,
        hasAudio: true,
        hasVideo: true,
      },
    },
    localStream: fakeStream([new FakeTrack('video')]),
    localVideo: true,
    myScreen: null,
    quality: { 'u-budi': 'fair' },
    ...extra,
  });
}

describe('tiles', () => {
  it('makes a tile per person and puts shared screens first', () => {
    const screen = fakeStream([new FakeTrack('video')], 'u-cem:screen');
    const tiles = tilesFor([ayu, budi, { ...cem, screen: true, video: false }], {
      remotes: {
        'u-cem:screen': {
          userId: 'u-cem',
          source: 'screen',
          stream: screen,
          hasAudio: false,
          hasVideo: true,
        },
      },
      activeSpeaker: 'u-budi',
    });
    expect(tiles.map((t) => [t.key, t.videoOn, t.isMe])).toEqual([
      ['u-cem:screen', true, false],
      ['u-ayu', true, true],
      ['u-budi', false, false], // no stream from Budi in these remotes
      ['u-cem', false, false],
    ]);
    expect(tiles[2]?.speaking).toBe(true);
  });

  it('lets a share take the stage unless dismissed, and picks the large tile', () => {
    const tiles = tilesFor([ayu, budi]);
    expect(effectiveLayout('grid', tiles, false)).toBe('grid');
    expect(effectiveLayout('screen', tiles, false)).toBe('speaker');
    const shared: Tile[] = [{ ...tiles[1]!, key: 'x:screen', source: 'screen' }, ...tiles];
    expect(effectiveLayout('grid', shared, false)).toBe('screen');
    expect(effectiveLayout('grid', shared, true)).toBe('grid');
    expect(mainTile(shared, 'screen')?.source).toBe('screen');
    expect(mainTile(tiles, 'speaker')?.userId).toBe('u-budi'); // not me when nobody speaks
    expect(mainTile([], 'speaker')).toBeNull();
    // a pinned tile wins over the spotlight; a spotlit person's screen over their camera
    const cemScreen: Tile = {
      ...tiles[1]!,
      key: 'u-cem:screen',
      userId: 'u-cem',
      source: 'screen',
    };
    const withCem = [cemScreen, ...tiles];
    expect(focusTile(withCem, 'u-ayu', 'u-cem')?.key).toBe('u-ayu');
    expect(focusTile(withCem, null, 'u-cem')?.key).toBe('u-cem:screen');
    expect(focusTile(tiles, 'gone', 'u-budi')?.key).toBe('u-budi');
    expect(focusTile(tiles, null, null)).toBeNull();
    expect(effectiveLayout('grid', tiles, false, tiles[1])).toBe('speaker');
    expect(effectiveLayout('grid', withCem, true, cemScreen)).toBe('screen');
    expect(mainTile(shared, 'screen', tiles[1])?.userId).toBe('u-budi');
    expect([1, 2, 3, 4, 6, 12].map(gridColumns)).toEqual([
      'grid-cols-1',
      'grid-cols-1 @lg:grid-cols-2',
      'grid-cols-1 @lg:grid-cols-2 @4xl:grid-cols-3',
      'grid-cols-1 @lg:grid-cols-2',
      'grid-cols-2 @3xl:grid-cols-3',
      'grid-cols-2 @3xl:grid-cols-3 @5xl:grid-cols-4',
    ]);
  });
});

const tileOf = (userId: string): HTMLElement => {
  const tile = screen.getAllByTestId('video-tile').find((t) => t.dataset.userId === userId);
  if (!tile) {
    throw new Error(`no tile for ${userId}`);
  }
  return tile;
};

describe('VideoStage', () => {
  it('shows video with name, muted mic, hand and connection quality; initials when the camera is off', () => {
    const tiles = tilesFor([ayu, { ...budi, muted: true, hand: true }, { ...cem, video: false }]);
    render(<VideoStage tiles={tiles} layout="grid" />);
    const budiTile = tileOf('u-budi');
    expect(within(budiTile).getByLabelText('Budi Santoso: video').tagName).toBe('VIDEO');
    expect(within(budiTile).getByRole('img', { name: 'Microphone off' })).toBeInTheDocument();
    expect(within(budiTile).getByRole('img', { name: 'Hand raised' })).toBeInTheDocument();
    expect(within(budiTile).getByRole('img', { name: 'Connection fair' })).toBeInTheDocument();
    const cemTile = tileOf('u-cem');
    expect(within(cemTile).queryByRole('img', { name: /video/ })).toBeNull();
    expect(within(cemTile).getByRole('img', { name: 'Cem Yilmaz' })).toBeInTheDocument();
    expect(screen.getByLabelText('Ayu Lestari (you): video')).toHaveClass('-scale-x-100');
  });

  it('puts one tile large in speaker view and asks for full screen on a tile', () => {
    const tiles = tilesFor([ayu, budi]);
    render(<VideoStage tiles={tiles} layout="speaker" />);
    const main = screen.getByTestId('main-view');
    expect(within(main).getByTestId('video-tile')).toHaveAttribute('data-user-id', 'u-budi');
    // my own camera ends the strip, beside the large tile rather than over it
    const strip = screen.getByRole('list', { name: 'Other participants' });
    expect(within(strip).getByTestId('video-tile')).toHaveAttribute('data-user-id', 'u-ayu');
    expect(screen.queryByTestId('self-view')).toBeNull();
    const request = vi.fn(() => Promise.resolve());
    HTMLElement.prototype.requestFullscreen = request;
    fireEvent.click(screen.getByRole('button', { name: 'Full screen: Budi Santoso' }));
    expect(request).toHaveBeenCalledOnce();
    fireEvent.dblClick(within(main).getByTestId('video-tile'));
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('shows my camera in a corner that can be moved and hidden, and alone as the stage', () => {
    const { rerender } = render(<VideoStage tiles={tilesFor([ayu])} layout="grid" />);
    expect(screen.queryByTestId('self-view')).toBeNull(); // alone: my tile is the stage
    expect(screen.getAllByTestId('video-tile')).toHaveLength(1);
    rerender(<VideoStage tiles={tilesFor([ayu, budi])} layout="grid" />);
    const selfView = screen.getByTestId('self-view');
    expect(selfView).toHaveClass('bottom-2', 'right-2');
    fireEvent.click(screen.getByRole('button', { name: 'Move self-view to another corner' }));
    expect(screen.getByTestId('self-view')).toHaveClass('bottom-2', 'left-2');
    fireEvent.click(screen.getByRole('button', { name: 'Hide self-view' }));
    expect(screen.queryByTestId('self-view')).toBeNull();
    expect(screen.getAllByTestId('video-tile')).toHaveLength(1); // budi keeps the stage
    fireEvent.click(screen.getByRole('button', { name: 'Show self-view' }));
    expect(screen.getByTestId('self-view')).toBeInTheDocument();
  });
});
