import type { ComponentChildren } from 'preact';
import { cn } from '@/lib/cn';
import { toggleCamera, toggleMic, roomStore, useStore } from '@/store';
import { Avatar, MicIcon, MicOffIcon, VideoIcon, VideoOffIcon } from '@/ui';

export interface PreJoinPanelProps {
  code: string;
  roomName: string;
  hostName: string;
  displayName: string;
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
          : 'border-error-600 bg-error-600 text-white hover:bg-error-600/90',
      )}
    >
      {on ? iconOn : iconOff}
    </button>
  );
}

/** The screen before entering a room: a preview tile, mic and camera choices, and Join. */
export function PreJoinPanel({
  code,
  roomName,
  hostName,
  displayName,
  children,
}: PreJoinPanelProps) {
  const micEnabled = useStore(roomStore, (state) => state.micEnabled);
  const cameraEnabled = useStore(roomStore, (state) => state.cameraEnabled);

  return (
    <div class="grid w-full items-center gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div class="relative aspect-[4/3] w-full overflow-hidden rounded-2xl bg-gray-800 shadow-lg sm:aspect-video">
        <div class="absolute inset-0 flex flex-col items-center justify-center gap-3 text-gray-300">
          <Avatar name={displayName} size="xl" />
          <p class="text-sm">
            {cameraEnabled ? 'Your camera turns on when you join' : 'Camera is off'}
          </p>
        </div>
        <div class="absolute inset-x-0 bottom-0 flex justify-center gap-3 bg-gradient-to-t from-gray-900/70 to-transparent p-4">
          <DeviceToggle
            on={micEnabled}
            label={micEnabled ? 'Turn off microphone' : 'Turn on microphone'}
            onToggle={toggleMic}
            iconOn={<MicIcon />}
            iconOff={<MicOffIcon />}
          />
          <DeviceToggle
            on={cameraEnabled}
            label={cameraEnabled ? 'Turn off camera' : 'Turn on camera'}
            onToggle={toggleCamera}
            iconOn={<VideoIcon />}
            iconOff={<VideoOffIcon />}
          />
        </div>
      </div>
      <div class="flex min-w-0 flex-col items-center text-center lg:items-start lg:text-left">
        <p class="text-sm font-medium text-green-700">Ready to join?</p>
        <h1 class="mt-1 text-2xl font-semibold break-words text-gray-900 sm:text-3xl">
          {roomName}
        </h1>
        <p class="mt-2 text-gray-600">
          Hosted by <span class="font-medium text-gray-900">{hostName}</span> · code{' '}
          <span class="font-mono font-medium whitespace-nowrap text-gray-900">{code}</span>
        </p>
        <p class="mt-1 text-sm text-gray-600">
          Joining as <span class="font-medium text-gray-900">{displayName}</span>
        </p>
        {children}
      </div>
    </div>
  );
}
