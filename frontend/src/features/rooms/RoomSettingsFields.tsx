import type { MediaMode, RecordingPermission, RoomSettings } from '@/api';
import type { Resolution } from '@/rtc/media-constraints';
import { RESOLUTIONS } from '@/rtc/media-constraints';
import type { SelectOption } from '@/ui';
import { Select, Switch } from '@/ui';

// Only settings that take effect are offered: the waiting room (lobby_enabled) is stored by
// the API but nothing applies it yet, so it is not shown.
const SWITCHES: readonly {
  key: Exclude<
    keyof RoomSettings,
    'max_video_resolution' | 'media_mode' | 'lobby_enabled' | 'recording_permission'
  >;
  label: string;
  description: string;
}[] = [
  {
    key: 'mute_on_join',
    label: 'Mute people when they join',
    description: 'Hosts join unmuted; everyone can unmute themselves.',
  },
  {
    key: 'camera_off_on_join',
    label: 'Cameras off when people join',
    description: 'Hosts keep their own choice; everyone can turn their camera on.',
  },
  {
    key: 'allow_chat',
    label: 'Allow chat',
    description: 'When off, only hosts and moderators can write; everyone can read.',
  },
  {
    key: 'allow_screen_share',
    label: 'Allow screen sharing',
    description: 'Hosts and moderators can always share.',
  },
];

const CAMERA_CAPS: readonly SelectOption<Resolution>[] = (
  Object.keys(RESOLUTIONS) as Resolution[]
).map((value) => ({ value, label: RESOLUTIONS[value].label }));

const MEDIA_MODES: readonly SelectOption<MediaMode>[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'sfu', label: 'Server only' },
];

const RECORDING_PERMISSIONS: readonly SelectOption<RecordingPermission>[] = [
  { value: 'host', label: 'Host only' },
  { value: 'hosts_and_moderators', label: 'Hosts and moderators' },
];

export interface RoomSettingsFieldsProps {
  settings: RoomSettings;
  onChange: (changes: Partial<RoomSettings>) => void;
  /** Everyone but the host sees the settings without changing them. */
  readOnly?: boolean;
  /** The server records meetings: who may record is a choice only then. */
  recordingAvailable?: boolean;
}

export function RoomSettingsFields({
  settings,
  onChange,
  readOnly = false,
  recordingAvailable = false,
}: RoomSettingsFieldsProps) {
  return (
    <div class="divide-y divide-gray-100">
      {SWITCHES.map(({ key, label, description }) => (
        <Switch
          key={key}
          label={label}
          description={description}
          checked={settings[key]}
          disabled={readOnly}
          onChange={(checked) => {
            onChange({ [key]: checked });
          }}
        />
      ))}
      <Select
        label="Camera quality limit"
        description="Cameras send at most this, which saves everyone's bandwidth; screen shares keep their full detail."
        value={settings.max_video_resolution}
        options={CAMERA_CAPS}
        disabled={readOnly}
        onChange={(value) => {
          onChange({ max_video_resolution: value });
        }}
      />
      <Select
        label="Media connection"
        description="Automatic lets two people connect directly; from three on, media goes through the server."
        value={settings.media_mode}
        options={MEDIA_MODES}
        disabled={readOnly}
        onChange={(value) => {
          onChange({ media_mode: value });
        }}
      />
      {recordingAvailable && (
        <Select
          label="Who may record"
          description="Everyone in the meeting is told when recording starts and stops."
          value={settings.recording_permission}
          options={RECORDING_PERMISSIONS}
          disabled={readOnly}
          onChange={(value) => {
            onChange({ recording_permission: value });
          }}
        />
      )}
    </div>
  );
}
