import { useEffect, useRef } from 'preact/hooks';
import type { RemoteStream } from '@/store/media-call';
import { useStore } from '@/store';
import { callStore } from '@/store/media-call';
import { mediaStore } from '@/store/media';

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

function PersonAudio({ remote }: { remote: RemoteStream }) {
  const ref = useRef<SinkAudio>(null);
  const volume = useStore(callStore, (state) => state.volumes[remote.userId] ?? 1);
  const muted = useStore(callStore, (state) => state.localMuted[remote.userId] === true);
  const speakerId = useStore(mediaStore, (state) => state.prefs.speakerId);
  useEffect(() => {
    const audio = ref.current;
    if (audio && audio.srcObject !== remote.stream) {
      audio.srcObject = remote.stream;
    }
  }, [remote.stream]);
  useEffect(() => {
    if (ref.current) {
      ref.current.volume = volume;
    }
  }, [volume]);
  useEffect(() => {
    const audio = ref.current;
    if (audio?.setSinkId && speakerId) {
      void audio.setSinkId(speakerId).catch(() => undefined);
    }
  }, [speakerId]);
  return <audio ref={ref} autoplay muted={muted} data-user-id={remote.userId} />;
}

/** Everyone's sound, each through its own element so volume and local mute are per person. */
export function RemoteAudio() {
  const remotes = useStore(callStore, (state) => state.remotes);
  return (
    <div hidden>
      {Object.entries(remotes)
        .filter(([, remote]) => remote.hasAudio && remote.source === 'camera')
        .map(([id, remote]) => (
          <PersonAudio key={id} remote={remote} />
        ))}
    </div>
  );
}
