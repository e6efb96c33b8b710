import type { LobbyScope, MediaMode, RecordingPermission, RoomSettings } from '@/api';
import type { Resolution } from '@/rtc/media-constraints';
import { RESOLUTIONS } from '@/rtc/media-constraints';
import type { SelectOption } from '@/ui';
import { Select, Switch } from '@/ui';

// Only settings that take effect are offered. The waiting room (lobby_enabled, decision 59)
// works since the server holds back whoever must wait; its scope shows only while it is on.
const SWITCHES: readonly {
  key: Exclude<
    keyof RoomSettings,
    'max_video_resolution' | 'media_mode' | 'lobby_scope' | 'recording_permission'
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
  {
    key: 'lobby_enabled',
    label: 'Guests wait to be let in',
    description: 'People who are not members yet wait until a host or moderator admits them.',
  },
];

const CAMERA_CAPS: readonly SelectOption<Resolution>[] = (
  Object.keys(RESOLUTIONS) as Resolution[]
).map((value) => ({ value, label: RESOLUTIONS[value].label }));

const LOBBY_SCOPES: readonly SelectOption<LobbyScope>[] = [
  { value: 'guests', label: 'People who are not members yet' },
  { value: 'everyone_but_hosts', label: 'Everyone but hosts and moderators' },
];

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

type ChoiceKey = 'lobby_scope' | 'max_video_resolution' | 'media_mode' | 'recording_permission';

/** One of the room's choices as a Select: its value read from, and changed in, `settings`. */
function SettingSelect<Key extends ChoiceKey>({
  name,
  label,
  description,
  options,
  settings,
  onChange,
  readOnly,
}: {
  name: Key;
  label: string;
  description: string;
  options: readonly SelectOption<RoomSettings[Key]>[];
  settings: RoomSettings;
  onChange: RoomSettingsFieldsProps['onChange'];
  readOnly: boolean;
}) {
  return (
    <Select
      label={label}
      description={description}
      value={settings[name]}
      options={options}
      disabled={readOnly}
      onChange={(value) => {
        onChange({ [name]: value });
      }}
    />
  );
}

export function RoomSettingsFields({
  settings,
  onChange,
  readOnly = false,
  recordingAvailable = false,
}: RoomSettingsFieldsProps) {
  const shared = { settings, onChange, readOnly };
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
      {settings.lobby_enabled && (
        <SettingSelect
          name="lobby_scope"
          label="Who waits"
          description="Members who were let in once come straight back, unless everyone waits."
          options={LOBBY_SCOPES}
          {...shared}
        />
      )}
      <SettingSelect
        name="max_video_resolution"
        label="Camera quality limit"
        description="Cameras send at most this, which saves everyone's bandwidth; screen shares keep their full detail."
        options={CAMERA_CAPS}
        {...shared}
      />
      <SettingSelect
        name="media_mode"
        label="Media connection"
        description="Automatic lets two people connect directly; from three on, media goes through the server."
        options={MEDIA_MODES}
        {...shared}
      />
      {recordingAvailable && (
        <SettingSelect
          name="recording_permission"
          label="Who may record"
          description="Everyone in the meeting is told when recording starts and stops."
          options={RECORDING_PERMISSIONS}
          {...shared}
        />
      )}
    </div>
  );
}
