import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Layout } from '@/store/media';
import { mediaStore, updatePrefs } from '@/store/media';
import type { CallState } from '@/store/media-call';
import type { MeetingState } from '@/store';
import { useStore } from '@/store';
import type { Tile } from './tiles';
import { buildTiles, effectiveLayout } from './tiles';

export interface Stage {
  tiles: Tile[];
  layout: Layout;
  /** Someone shares a screen. */
  sharing: boolean;
  chooseLayout: (next: Layout) => void;
}

/** The video stage's tiles and layout: the chosen one, or the shared screen while it is new. */
export function useStage(meeting: MeetingState, call: CallState): Stage {
  const localStream = useStore(mediaStore, (state) => state.stream);
  const videoTrack = useStore(mediaStore, (state) => state.videoTrack);
  const chosenLayout = useStore(mediaStore, (state) => state.prefs.layout);
  const [shareDismissed, setShareDismissed] = useState(false);
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
  return {
    tiles,
    layout: effectiveLayout(chosenLayout, tiles, shareDismissed),
    sharing,
    chooseLayout: (next: Layout) => {
      setShareDismissed(next !== 'screen');
      updatePrefs({ layout: next });
    },
  };
}
