import type { RoomSettings } from '@/api';
import { errorMessage } from '@/api';
import { featuresStore, roomDetailStore, showToast, updateRoomSettings, useStore } from '@/store';
import { RoomSettingsFields } from './RoomSettingsFields';

/** The open room's meeting settings: the host changes them at once, others read them. */
export function RoomSettingsPanel({ editable }: { editable: boolean }) {
  const settings = useStore(roomDetailStore, (state) => state.settings);
  const recordingAvailable = useStore(featuresStore, (state) => state.recording === true);
  if (!settings) {
    return null;
  }

  async function change(changes: Partial<RoomSettings>) {
    try {
      await updateRoomSettings(changes);
      showToast({ tone: 'success', title: 'Setting saved' });
    } catch (error) {
      showToast({
        tone: 'error',
        title: 'Could not save the setting',
        description: errorMessage(error),
      });
    }
  }

  return (
    <>
      {!editable && <p class="mb-1 text-sm text-gray-600">Only the host can change these.</p>}
      <RoomSettingsFields
        settings={settings}
        readOnly={!editable}
        recordingAvailable={recordingAvailable}
        onChange={(changes) => void change(changes)}
      />
    </>
  );
}
