// What the stage shows: one tile per person (camera) and one per shared screen.
import type { LiveParticipant } from '@/api';
import type { Quality } from '@/rtc/connection-quality';
import type { Layout } from '@/store/media';
import type { RemoteStream } from '@/store/media-call';

export interface Tile {
  key: string;
  userId: string;
  name: string;
  source: 'camera' | 'screen';
  stream: MediaStream | null;
  isMe: boolean;
  muted: boolean;
  videoOn: boolean;
  hand: boolean;
  speaking: boolean;
  quality: Quality | null;
}

export interface TileInputs {
  participants: LiveParticipant[];
  me: string | null;
  activeSpeaker: string | null;
  remotes: Record<string, RemoteStream>;
  localStream: MediaStream | null;
  localVideo: boolean;
  myScreen: MediaStream | null;
  quality: Record<string, Quality>;
}

export function buildTiles(inputs: TileInputs): Tile[] {
  const { participants, me, remotes } = inputs;
  const tiles: Tile[] = [];
  const screens: Tile[] = [];
  for (const person of participants) {
    const isMe = person.user_id === me;
    const remote = remotes[person.user_id];
    const base = {
      userId: person.user_id,
      name: person.name,
      isMe,
      muted: person.muted,
      hand: person.hand,
      speaking: person.user_id === inputs.activeSpeaker && !person.muted,
      quality: isMe ? null : (inputs.quality[person.user_id] ?? null),
    };
    tiles.push({
      ...base,
      key: person.user_id,
      source: 'camera',
      stream: isMe ? inputs.localStream : (remote?.stream ?? null),
      videoOn: person.video && (isMe ? inputs.localVideo : remote?.hasVideo === true),
    });
    const screen = isMe ? inputs.myScreen : (remotes[`${person.user_id}:screen`]?.stream ?? null);
    if (person.screen && screen) {
      screens.push({
        ...base,
        key: `${person.user_id}:screen`,
        source: 'screen',
        stream: screen,
        videoOn: true,
        speaking: false,
      });
    }
  }
  return [...screens, ...tiles];
}

/** The tile that must be large, if any: the one pinned on this screen, else the person a
 * host put in the spotlight (their shared screen when they share one). */
export function focusTile(tiles: Tile[], pinned: string | null, spotlight: string | null) {
  const byKey = (key: string | null) => tiles.find((t) => t.key === key) ?? null;
  return byKey(pinned) ?? byKey(spotlight && `${spotlight}:screen`) ?? byKey(spotlight);
}

/** The layout in effect: a pinned or spotlit tile takes the stage, then a screen share,
 * unless the person chose another layout since (`dismissed`). */
export function effectiveLayout(
  chosen: Layout,
  tiles: Tile[],
  shareDismissed: boolean,
  focus: Tile | null = null,
): Layout {
  if (focus) {
    return focus.source === 'screen' ? 'screen' : 'speaker';
  }
  const sharing = tiles.some((t) => t.source === 'screen');
  if (sharing && !shareDismissed) {
    return 'screen';
  }
  return chosen === 'screen' ? (sharing ? 'screen' : 'speaker') : chosen;
}

/** The large tile: the focused one (pinned, spotlit), else the shared screen, else the
 * active speaker, else someone else than me. */
export function mainTile(tiles: Tile[], layout: Layout, focus: Tile | null = null): Tile | null {
  if (focus && tiles.includes(focus)) {
    return focus;
  }
  if (layout === 'screen') {
    const screen = tiles.find((t) => t.source === 'screen');
    if (screen) {
      return screen;
    }
  }
  const cameras = tiles.filter((t) => t.source === 'camera');
  return cameras.find((t) => t.speaking) ?? cameras.find((t) => !t.isMe) ?? cameras[0] ?? null;
}

/** Grid columns for n tiles, by the stage's own width (Tailwind container queries). */
export function gridColumns(count: number): string {
  if (count <= 1) {
    return 'grid-cols-1';
  }
  if (count === 3) {
    return 'grid-cols-1 @lg:grid-cols-2 @4xl:grid-cols-3';
  }
  if (count <= 4) {
    return 'grid-cols-1 @lg:grid-cols-2';
  }
  if (count <= 9) {
    return 'grid-cols-2 @3xl:grid-cols-3';
  }
  return 'grid-cols-2 @3xl:grid-cols-3 @5xl:grid-cols-4';
}
