import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Layout } from '@/store/media';
import { mediaStore, updatePrefs } from '@/store/media';
import type { CallState } from '@/store/media-call';
import type { MeetingState } from '@/store';
import { pinTile, useStore } from '@/store';
import type { Tile } from './tiles';
import { buildTiles, effectiveLayout, focusTile } from './tiles';

export interface Stage {
  tiles: Tile[];
  layout: Layout;
  /** Someone shares a screen. */
  sharing: boolean;
  /** The tile pinned here or put in the spotlight, shown large. */
  focus: Tile | null;
  chooseLayout: (next: Layout) => void;
}

/** The video stage's tiles and layout: the chosen one, or the shared screen while it is new. */
export function useStage(meeting: MeetingState, call: CallState): Stage {
  const localStream = useStore(mediaStore, (state) => state.stream);
  const videoTrack = useStore(mediaStore, (state) => state.videoTrack);
  const chosenLayout = useStore(mediaStore, (state) => state.prefs.layout);
  const [shareDismissed, setShareDismissed] = useState(false);
  // Choosing a layout while someone is in the spotlight shows that layout instead.
  const [spotlightDismissed, setSpotlightDismissed] = useState(false);
  const tiles = useMemo(
    () =>
      buildTiles({
        participants: meeting.participants,
        me: meeting.me,
        activeSpeaker: meeting.activeSpeaker ?? call.localSpeaker,
        remotes: call.remotes,
        localStream,
        localVideo: videoTrack !== null,
        myScreen: call.screen,
        quality: call.quality,
      }),
    [meeting.participants, meeting.me, meeting.activeSpeaker, call, localStream, videoTrack],
  );
  const sharing = tiles.some((tile) => tile.source === 'screen');
  const sharingKey = tiles.find((tile) => tile.source === 'screen')?.key ?? null;
  useEffect(() => {
    setShareDismissed(false); // a new share takes the stage again
  }, [sharingKey]);
  useEffect(() => {
    setSpotlightDismissed(false); // a new spotlight takes the stage again
  }, [meeting.spotlight]);
  const focus = focusTile(tiles, meeting.pinned, spotlightDismissed ? null : meeting.spotlight);
  return {
    tiles,
    layout: effectiveLayout(chosenLayout, tiles, shareDismissed, focus),
    sharing,
    focus,
    chooseLayout: (next: Layout) => {
      setShareDismissed(next !== 'screen');
      setSpotlightDismissed(true);
      pinTile(null);
      updatePrefs({ layout: next });
    },
  };
}
