import type { UserSettings } from '@/api';

type KeysOfType<T, V> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T];

export interface SwitchSetting {
  kind: 'switch';
  key: KeysOfType<UserSettings, boolean>;
  label: string;
  description?: string;
}

export type SettingField = SwitchSetting;

export interface SettingGroup {
  title: string;
  description?: string;
  fields: readonly SettingField[];
}

/**
 * The user settings the Settings page offers: only those that take effect. The others the
 * API stores (camera and microphone on joining, video quality, audio processing, theme)
 * nothing applies yet, so they are not offered (docs/api.md).
 */
export const SETTING_GROUPS: readonly SettingGroup[] = [
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
    title: 'Privacy',
    fields: [
      {
        kind: 'switch',
        key: 'discoverable',
        label: 'Let people find me by name or email',
        description:
          'When off, only people who already have you in their contacts can find you. An email address must be typed in full.',
      },
    ],
  },
];
