import type { Resolution } from '@/rtc/media-constraints';
import { isAboveCap, RESOLUTIONS } from '@/rtc/media-constraints';
import type { DeviceOption } from '@/store/media';
import { useStore } from '@/store';
import { mediaStore, selectDevice, setAudioProcessing, updatePrefs } from '@/store/media';
import { chooseResolution } from '@/store/media-account';
import { Select, Switch } from '@/ui';

function resolutionOptions(cap: Resolution | null) {
  return (Object.keys(RESOLUTIONS) as Resolution[]).map((value) => ({
    value,
    label: isAboveCap(value, cap)
      ? `${RESOLUTIONS[value].label}, sent as ${cap ?? ''} here`
      : RESOLUTIONS[value].label,
  }));
}

function qualityNote(compact: boolean, chosen: Resolution, cap: Resolution | null) {
  if (isAboveCap(chosen, cap)) {
    return `This meeting allows cameras up to ${cap ?? ''}: yours is sent at that.`;
  }
  return compact ? undefined : 'Higher quality needs a faster connection.';
}

/** Whether this browser lets a page pick the speaker (HTMLMediaElement.setSinkId). */
export function canPickSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

function options(devices: DeviceOption[], kind: MediaDeviceKind, fallback: string) {
  const list = devices
    .filter((d) => d.kind === kind)
    .map((d) => ({ value: d.deviceId, label: d.label }));
  return list.length > 0 ? list : [{ value: '', label: fallback }];
}

function chosen(list: { value: string }[], id: string | null): string {
  return list.find((o) => o.value === id)?.value ?? list[0]?.value ?? '';
}

/** Camera, microphone, speaker, resolution and audio processing; changes apply at once. */
export function DeviceSettings({ compact = false }: { compact?: boolean }) {
  const devices = useStore(mediaStore, (state) => state.devices);
  const prefs = useStore(mediaStore, (state) => state.prefs);
  const cap = useStore(mediaStore, (state) => state.videoCap);
  const cameras = options(devices, 'videoinput', 'Default camera');
  const mics = options(devices, 'audioinput', 'Default microphone');
  const speakers = options(devices, 'audiooutput', 'Default speaker');
  return (
    <div class="divide-y divide-gray-100">
      <Select
        label="Camera"
        value={chosen(cameras, prefs.cameraId)}
        options={cameras}
        onChange={(id) => void selectDevice('video', id)}
      />
      <Select
        label="Microphone"
        value={chosen(mics, prefs.micId)}
        options={mics}
        onChange={(id) => void selectDevice('audio', id)}
      />
      {canPickSpeaker() && (
        <Select
          label="Speaker"
          value={chosen(speakers, prefs.speakerId)}
          options={speakers}
          onChange={(id) => {
            updatePrefs({ speakerId: id });
          }}
        />
      )}
      <Select
        label="Video quality"
        description={qualityNote(compact, prefs.resolution, cap)}
        value={prefs.resolution}
        options={resolutionOptions(cap)}
        onChange={(value) => void chooseResolution(value)}
      />
      {!compact && (
        <>
          <Switch
            label="Echo cancellation"
            checked={prefs.audio.echoCancellation}
            onChange={(on) => void setAudioProcessing({ echoCancellation: on })}
          />
          <Switch
            label="Noise suppression"
            checked={prefs.audio.noiseSuppression}
            onChange={(on) => void setAudioProcessing({ noiseSuppression: on })}
          />
          <Switch
            label="Automatic gain"
            checked={prefs.audio.autoGainControl}
            onChange={(on) => void setAudioProcessing({ autoGainControl: on })}
          />
        </>
      )}
    </div>
  );
}
