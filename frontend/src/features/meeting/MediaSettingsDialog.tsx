import { DeviceSettings } from '@/features/devices';
import { Button, Modal } from '@/ui';

/** Devices, video quality and audio processing during the meeting. */
export function MediaSettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      title="Audio and video settings"
      description="Changes apply at once."
      footer={<Button onClick={onClose}>Done</Button>}
    >
      <DeviceSettings />
    </Modal>
  );
}
