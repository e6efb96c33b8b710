import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import {
  CaptureProblemNotice,
  DeviceSettings,
  LevelMeter,
  StreamVideo,
  useAudioLevel,
} from '@/features/devices';
import { cn } from '@/lib/cn';
import { lobbyStore, toggleCamera, toggleMic, useStore } from '@/store';
import { acquire, mediaStore, refreshDevices, release } from '@/store/media';
import { loadAccountResolution } from '@/store/media-account';
import { Avatar, MicIcon, MicOffIcon, Spinner, VideoIcon, VideoOffIcon } from '@/ui';

export interface PreJoinPanelProps {
  code: string;
  roomName: string;
  hostName: string;
  displayName: string;
  /** The line over the room's name. */
  eyebrow?: string;
  /** The meeting is being recorded now (as the room said when the page opened). */
  recording?: boolean;
  /** The join controls: password, refusals, Join. */
  children: ComponentChildren;
}

function DeviceToggle({
  on,
  label,
  onToggle,
  iconOn,
  iconOff,
}: {
  on: boolean;
  label: string;
  onToggle: () => void;
  iconOn: ComponentChildren;
  iconOff: ComponentChildren;
}) {
  return (
    <button
      type="button"
      aria-pressed={on}
      aria-label={label}
      title={label}
      onClick={onToggle}
      class={cn(
        'flex size-12 items-center justify-center rounded-full border transition-colors',
        on
          ? 'border-white/40 bg-gray-900/40 text-white hover:bg-gray-900/60'
          : 'border-error-600 bg-error-600 text-white hover:brightness-90',
      )}
    >
      {on ? iconOn : iconOff}
    </button>
  );
}

/** Said before joining, so nobody walks into a recording unawares. */
function RecordingNotice() {
  return (
    <p
      role="status"
      class="mt-3 flex items-center gap-2 rounded-full bg-warning-500/15 px-3 py-1 text-sm font-medium text-gray-800"
    >
      <span class="size-2 shrink-0 rounded-full bg-error-500" aria-hidden="true" />
      This meeting is being recorded. If you join, you will be in the recording.
    </p>
  );
}

/** The screen before entering a room: a preview tile, mic and camera choices, and Join. */
export function PreJoinPanel({
  code,
  roomName,
  hostName,
  displayName,
  eyebrow = 'Ready to join?',
  recording = false,
  children,
}: PreJoinPanelProps) {
  const micEnabled = useStore(lobbyStore, (state) => state.micEnabled);
  const cameraEnabled = useStore(lobbyStore, (state) => state.cameraEnabled);
  const stream = useStore(mediaStore, (state) => state.stream);
  const audioTrack = useStore(mediaStore, (state) => state.audioTrack);
  const videoTrack = useStore(mediaStore, (state) => state.videoTrack);
  const problems = useStore(mediaStore, (state) => state.problems);
  const acquiring = useStore(mediaStore, (state) => state.acquiring);
  const level = useAudioLevel(micEnabled ? audioTrack : null);

  // The microphone keeps running while off so unmuting is instant; the camera stops (its
  // light goes out) and starts again when turned back on.
  useEffect(() => {
    const refresh = () => void refreshDevices().catch(() => undefined);
    refresh();
    void loadAccountResolution(); // the quality chosen on another device
    // A headset plugged in or out shows up in the pickers at once. (No mediaDevices on
    // plain http other than localhost.)
    const devices = navigator.mediaDevices as MediaDevices | undefined;
    devices?.addEventListener('devicechange', refresh);
    return () => {
      devices?.removeEventListener('devicechange', refresh);
    };
  }, []);
  useEffect(() => {
    const track = mediaStore.getState().audioTrack;
    if (track) {
      track.enabled = micEnabled;
    } else if (micEnabled) {
      void acquire('audio');
    }
  }, [micEnabled]);
  useEffect(() => {
    if (cameraEnabled) {
      if (!mediaStore.getState().videoTrack) {
        void acquire('video');
      }
    } else {
      release('video');
    }
  }, [cameraEnabled]);
  const micOn = micEnabled && audioTrack !== null;
  const cameraOn = cameraEnabled && videoTrack !== null;

  return (
    <div class="grid w-full items-center gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div class="relative aspect-[4/3] w-full overflow-hidden rounded-2xl bg-gray-800 shadow-lg sm:aspect-video">
        {cameraOn ? (
          <StreamVideo
            stream={stream}
            mirrored
            label="Your camera preview"
            class="absolute inset-0"
          />
        ) : (
          <div class="absolute inset-0 flex flex-col items-center justify-center gap-3 text-gray-300">
            <Avatar name={displayName} size="xl" />
            <p class="flex items-center gap-2 text-sm">
              {acquiring.video ? (
                <>
                  <Spinner /> Starting your camera…
                </>
              ) : (
                'Camera is off'
              )}
            </p>
          </div>
        )}
        <div class="absolute inset-x-0 bottom-0 flex justify-center gap-3 bg-gradient-to-t from-gray-900/70 to-transparent p-4">
          <DeviceToggle
            on={micOn}
            label={micOn ? 'Turn off microphone' : 'Turn on microphone'}
            onToggle={() => {
              if (micEnabled && !audioTrack) {
                void acquire('audio'); // it failed before: try again rather than turn off
              } else {
                toggleMic();
              }
            }}
            iconOn={<MicIcon />}
            iconOff={<MicOffIcon />}
          />
          <DeviceToggle
            on={cameraOn}
            label={cameraOn ? 'Turn off camera' : 'Turn on camera'}
            onToggle={() => {
              if (cameraEnabled && !videoTrack) {
                void acquire('video');
              } else {
                toggleCamera();
              }
            }}
            iconOn={<VideoIcon />}
            iconOff={<VideoOffIcon />}
          />
        </div>
      </div>
      <div class="flex min-w-0 flex-col items-center text-center lg:items-start lg:text-left">
        <p class="text-sm font-medium text-green-700">{eyebrow}</p>
        <h1 class="mt-1 text-2xl font-semibold break-words text-gray-900 sm:text-3xl">
          {roomName}
        </h1>
        <p class="mt-2 text-gray-600">
          Hosted by <span class="font-medium text-gray-900">{hostName}</span> · code{' '}
          <span class="font-mono font-medium whitespace-nowrap text-gray-900">{code}</span>
        </p>
        <p class="mt-1 text-sm text-gray-600">
          Others will see you as <span class="font-medium text-gray-900">{displayName}</span> ·{' '}
          <a href="/profile" class="font-medium text-green-800 underline">
            change
          </a>
        </p>
        {recording && <RecordingNotice />}
        <div class="mt-4 flex w-full flex-col gap-3 text-left sm:max-w-sm">
          <div class="flex items-center gap-3">
            {micOn ? (
              <MicIcon class="size-5 text-gray-600" />
            ) : (
              <MicOffIcon class="size-5 text-gray-600" />
            )}
            <LevelMeter level={micOn ? level : 0} />
          </div>
          {micEnabled && problems.audio && (
            <CaptureProblemNotice
              kind="audio"
              problem={problems.audio}
              onRetry={() => void acquire('audio')}
            />
          )}
          {cameraEnabled && problems.video && (
            <CaptureProblemNotice
              kind="video"
              problem={problems.video}
              onRetry={() => void acquire('video')}
            />
          )}
          <details class="rounded-xl border border-gray-200 bg-white px-4 py-2">
            <summary class="cursor-pointer py-1 text-sm font-medium text-gray-900">
              Audio and video settings
            </summary>
            <DeviceSettings />
          </details>
        </div>
        {children}
      </div>
    </div>
  );
}
