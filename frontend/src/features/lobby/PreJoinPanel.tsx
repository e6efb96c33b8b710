import type { ComponentChildren } from 'preact';
import { cn } from '@/lib/cn';
import { toggleCamera, toggleMic, roomStore, useStore } from '@/store';
import { Avatar, Button, buttonClasses, MicIcon, MicOffIcon, VideoIcon, VideoOffIcon } from '@/ui';

export interface PreJoinPanelProps {
  code: string;
  displayName: string;
  onJoin: () => void;
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
export function PreJoinPanel({ code, displayName, onJoin }: PreJoinPanelProps) {
  const micEnabled = useStore(roomStore, (state) => state.micEnabled);
  const cameraEnabled = useStore(roomStore, (state) => state.cameraEnabled);
  const phase = useStore(roomStore, (state) => state.phase);

  return (
    <div class="grid w-full items-center gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div class="relative aspect-square w-full overflow-hidden rounded-2xl bg-gray-800 shadow-lg sm:aspect-video">
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
      <div class="flex flex-col items-center text-center lg:items-start lg:text-left">
        <h1 class="text-2xl font-semibold text-gray-900 sm:text-3xl">Ready to join?</h1>
        <p class="mt-2 text-gray-600">
          Meeting code <span class="font-mono font-medium text-gray-900">{code}</span>
        </p>
        <p class="mt-1 text-sm text-gray-600">
          Joining as <span class="font-medium text-gray-900">{displayName}</span>
        </p>
        <div class="mt-6 flex w-full flex-col gap-3 sm:w-auto sm:flex-row">
          <Button size="lg" loading={phase === 'joining'} onClick={onJoin}>
            Join now
          </Button>
          <a href="/" class={buttonClasses('ghost', 'lg')}>
            Back to dashboard
          </a>
        </div>
      </div>
    </div>
  );
}
