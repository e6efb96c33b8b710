import type { TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { Room } from '@/api';
import { errorMessage } from '@/api';
import { localTimeZoneName } from '@/lib/local-datetime';
import { showToast, updateRoom } from '@/store';
import { Alert, Button, Input, Modal, Switch, TextArea } from '@/ui';
import type { RoomEditValues } from './room-edit';
import { editValuesOf, roomChangesFrom, validateRoomEdit } from './room-edit';
import type { RoomFormErrors } from './room-form';
import { ROOM_LIMITS, roomFormErrorsFrom } from './room-form';

type EditField = 'name' | 'description' | 'date' | 'time' | 'durationMinutes';

const FORM_ID = 'edit-room-form';

/** Hosts and moderators change a room's name, description and time. */
export function EditRoomDialog({ room, onClose }: { room: Room; onClose: () => void }) {
  const [values, setValues] = useState<RoomEditValues>(() => editValuesOf(room));
  const [errors, setErrors] = useState<RoomFormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  function field(name: EditField) {
    return {
      name,
      value: values[name],
      error: errors[name] ?? null,
      onInput: (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => {
        setValues({ ...values, [name]: event.currentTarget.value });
        setErrors({ ...errors, [name]: undefined });
      },
    };
  }

  async function save(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = validateRoomEdit(values, room);
    setErrors(problems);
    setFormError(null);
    if (Object.keys(problems).length > 0) {
      return;
    }
    const changes = roomChangesFrom(values, room);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    try {
      await updateRoom(room.id, changes);
      showToast({ tone: 'success', title: 'Room updated' });
      onClose();
    } catch (error) {
      const fieldErrors = roomFormErrorsFrom(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length > 0 ? null : errorMessage(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title="Edit room"
      onClose={onClose}
      class="max-h-[calc(100dvh-2rem)] max-w-lg overflow-y-auto"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" form={FORM_ID} loading={saving}>
            Save changes
          </Button>
        </>
      }
    >
      <form id={FORM_ID} noValidate class="flex flex-col gap-4" onSubmit={(e) => void save(e)}>
        {formError && <Alert tone="error">{formError}</Alert>}
        <Input {...field('name')} label="Name" maxLength={ROOM_LIMITS.nameMax} required />
        <TextArea
          {...field('description')}
          label="Description (optional)"
          rows={2}
          maxLength={ROOM_LIMITS.descriptionMax}
        />
        <Switch
          label="Scheduled"
          description="Turn off for a room without a set time."
          checked={values.scheduled}
          onChange={(checked) => {
            setValues({ ...values, scheduled: checked });
          }}
        />
        {values.scheduled && (
          <div class="grid gap-4 sm:grid-cols-3">
            <Input {...field('date')} label="Date" type="date" required />
            <Input
              {...field('time')}
              label="Start time"
              type="time"
              hint={localTimeZoneName()}
              required
            />
            <Input
              {...field('durationMinutes')}
              label="Minutes"
              type="number"
              inputMode="numeric"
              min={ROOM_LIMITS.durationMin}
              max={ROOM_LIMITS.durationMax}
            />
          </div>
        )}
      </form>
    </Modal>
  );
}
