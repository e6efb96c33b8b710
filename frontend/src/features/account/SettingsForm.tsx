import { useState } from 'preact/hooks';
import type { UserSettings } from '@/api';
import { errorMessage } from '@/api';
import { useResource } from '@/lib/use-resource';
import { api, showToast } from '@/store';
import { Alert, Card, Spinner, Switch } from '@/ui';
import type { SettingField } from './settings-fields';
import { SETTING_GROUPS } from './settings-fields';

type Change = { [K in keyof UserSettings]: { key: K; value: UserSettings[K] } }[keyof UserSettings];

function SettingControl({
  field,
  settings,
  saving,
  onChange,
}: {
  field: SettingField;
  settings: UserSettings;
  saving: boolean;
  onChange: (change: Change) => void;
}) {
  const description = field.description ? { description: field.description } : {};
  return (
    <Switch
      label={field.label}
      {...description}
      checked={settings[field.key]}
      disabled={saving}
      onChange={(value) => {
        onChange({ key: field.key, value });
      }}
    />
  );
}

/** Each change is saved at once and confirmed with a toast; a refused one is undone. */
export function SettingsForm() {
  const settings = useResource(async () => (await api.users.settings()).settings);
  const [saving, setSaving] = useState<keyof UserSettings | null>(null);

  async function save(change: Change) {
    if (settings.state !== 'ready') {
      return;
    }
    const before = settings.data;
    settings.update((current) => ({ ...current, [change.key]: change.value }));
    setSaving(change.key);
    try {
      const saved = await api.users.updateSettings({ [change.key]: change.value });
      settings.update(() => saved.settings);
      showToast({ tone: 'success', title: 'Settings saved' });
    } catch (error) {
      settings.update(() => before);
      showToast({
        tone: 'error',
        title: 'Could not save the setting',
        description: errorMessage(error),
      });
    } finally {
      setSaving(null);
    }
  }

  if (settings.state === 'loading') {
    return (
      <p role="status" class="flex items-center gap-2 text-sm text-gray-600">
        <Spinner /> Loading your settings…
      </p>
    );
  }
  if (settings.state === 'failed') {
    return (
      <Alert tone="error" title="Could not load your settings">
        {errorMessage(settings.error)}
      </Alert>
    );
  }
  return (
    <div class="grid gap-6">
      {SETTING_GROUPS.map((group) => (
        <Card
          key={group.title}
          title={group.title}
          {...(group.description ? { description: group.description } : {})}
        >
          <div class="divide-y divide-gray-100">
            {group.fields.map((field) => (
              <SettingControl
                key={field.key}
                field={field}
                settings={settings.data}
                saving={saving === field.key}
                onChange={(change) => void save(change)}
              />
            ))}
          </div>
        </Card>
      ))}
    </div>
  );
}
