import type { ThemePreference, UserSettings, VideoResolution } from '@/api';

type KeysOfType<T, V> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T];

export interface SwitchSetting {
  kind: 'switch';
  key: KeysOfType<UserSettings, boolean>;
  label: string;
  description?: string;
}

export type ChoiceSetting =
  | {
      kind: 'choice';
      key: 'preferred_resolution';
      label: string;
      description?: string;
      options: readonly { value: VideoResolution; label: string }[];
    }
  | {
      kind: 'choice';
      key: 'theme';
      label: string;
      description?: string;
      options: readonly { value: ThemePreference; label: string }[];
    };

export type SettingField = SwitchSetting | ChoiceSetting;

export interface SettingGroup {
  title: string;
  description?: string;
  fields: readonly SettingField[];
}

/** Every user setting of docs/api.md, grouped as the Settings page shows them. */
export const SETTING_GROUPS: readonly SettingGroup[] = [
  {
    title: 'Joining meetings',
    description: 'How you start out in every meeting. You can still change it in the lobby.',
    fields: [
      { kind: 'switch', key: 'mic_on_join', label: 'Microphone on when joining' },
      { kind: 'switch', key: 'camera_on_join', label: 'Camera on when joining' },
      {
        kind: 'choice',
        key: 'preferred_resolution',
        label: 'Video quality',
        description: 'Higher quality uses more bandwidth.',
        options: [
          { value: '360p', label: 'Standard (360p)' },
          { value: '720p', label: 'HD (720p)' },
          { value: '1080p', label: 'Full HD (1080p)' },
        ],
      },
    ],
  },
  {
    title: 'Audio processing',
    description: 'Clean up your microphone before others hear it.',
    fields: [
      {
        kind: 'switch',
        key: 'echo_cancellation',
        label: 'Echo cancellation',
        description: 'Stops others hearing themselves through your speakers.',
      },
      {
        kind: 'switch',
        key: 'noise_suppression',
        label: 'Noise suppression',
        description: 'Filters steady background noise such as fans.',
      },
      {
        kind: 'switch',
        key: 'auto_gain_control',
        label: 'Automatic volume',
        description: 'Keeps your voice at an even level.',
      },
    ],
  },
  {
    title: 'Notifications',
    fields: [
      { kind: 'switch', key: 'notify_email_invitations', label: 'Email me meeting invitations' },
      {
        kind: 'switch',
        key: 'notify_email_reminders',
        label: 'Email me reminders',
        description: 'Before meetings you are invited to.',
      },
      {
        kind: 'switch',
        key: 'notify_in_app',
        label: 'Notifications in the app',
        description: 'Invitations, reminders and messages while Rapat is open.',
      },
    ],
  },
  {
    title: 'Appearance',
    fields: [
      {
        kind: 'choice',
        key: 'theme',
        label: 'Theme',
        description: 'Saved with your account; Rapat shows its light theme for now.',
        options: [
          { value: 'system', label: 'Match my device' },
          { value: 'light', label: 'Light' },
          { value: 'dark', label: 'Dark' },
        ],
      },
    ],
  },
];
