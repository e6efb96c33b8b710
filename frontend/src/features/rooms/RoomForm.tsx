import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { NewRoom } from '@/api';
import { errorMessage } from '@/api';
import { localTimeZoneName } from '@/lib/local-datetime';
import { Alert, Button, buttonClasses, Card, Input, Switch, TextArea } from '@/ui';
import { PasswordInput } from './PasswordInput';
import type { RoomFormErrors, RoomFormField, RoomFormValues } from './room-form';
import {
  ROOM_LIMITS,
  initialRoomForm,
  newRoomFrom,
  roomFormErrorsFrom,
  validateRoomForm,
} from './room-form';
import { RoomSettingsFields } from './RoomSettingsFields';

export interface RoomFormProps {
  /** Opens with "Schedule for later" on. */
  scheduled?: boolean;
  /** Sends the room; a thrown ApiError is shown on its fields or above the buttons. */
  onSubmit: (room: NewRoom) => Promise<unknown>;
  cancelHref: string;
}

type TextField = Exclude<RoomFormField, 'settings'>;

/** Creating a room now or scheduling one, with its password, size and meeting settings. */
export function RoomForm({ scheduled = false, onSubmit, cancelHref }: RoomFormProps) {
  const [values, setValues] = useState<RoomFormValues>(() => initialRoomForm(scheduled));
  const [errors, setErrors] = useState<RoomFormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [attempts, setAttempts] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    // After a refused submit, take the keyboard to the first field that needs attention.
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);

  function change(changes: Partial<RoomFormValues>) {
    setValues((current) => ({ ...current, ...changes }));
  }

  function field(name: TextField) {
    return {
      name,
      value: values[name],
      error: errors[name] ?? null,
      onInput: (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => {
        change({ [name]: event.currentTarget.value });
        setErrors((current) => ({ ...current, [name]: undefined }));
      },
    };
  }

  async function submit(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = validateRoomForm(values);
    setErrors(problems);
    setFormError(null);
    if (Object.keys(problems).length > 0) {
      setAttempts((count) => count + 1);
      return;
    }
    setSubmitting(true);
    try {
      await onSubmit(newRoomFrom(values));
    } catch (error) {
      const fieldErrors = roomFormErrorsFrom(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length > 0 ? null : errorMessage(error));
      setAttempts((count) => count + 1);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={(event) => void submit(event)}
      class="flex max-w-3xl flex-col gap-6"
    >
      <Card title="About the room">
        <div class="flex flex-col gap-4">
          <Input
            {...field('name')}
            label="Name"
            placeholder="Weekly sync"
            maxLength={ROOM_LIMITS.nameMax}
            required
          />
          <TextArea
            {...field('description')}
            label="Description (optional)"
            placeholder="What the meeting is about"
            maxLength={ROOM_LIMITS.descriptionMax}
          />
        </div>
      </Card>
      <Card title="When">
        <Switch
          label="Schedule for later"
          description="Pick a start time; the meeting shows under Upcoming with a calendar invitation."
          checked={values.scheduled}
          onChange={(checked) => {
            change({ scheduled: checked });
          }}
        />
        {values.scheduled && <ScheduleFields field={field} />}
        <Switch
          label="Keep the room for future meetings"
          description="The same link works again after a meeting ends."
          checked={values.persistent}
          onChange={(checked) => {
            change({ persistent: checked });
          }}
        />
      </Card>
      <Card title="Who can join">
        <div class="grid gap-4 sm:grid-cols-2">
          <PasswordInput
            {...field('password')}
            label="Password (optional)"
            autoComplete="new-password"
            maxLength={ROOM_LIMITS.passwordMax}
            hint={`${ROOM_LIMITS.passwordMin} to ${ROOM_LIMITS.passwordMax} characters. Leave empty for none.`}
          />
          <Input
            {...field('maxUsers')}
            label="Most people at once"
            type="number"
            inputMode="numeric"
            min={ROOM_LIMITS.usersMin}
            max={ROOM_LIMITS.usersMax}
            hint={`${ROOM_LIMITS.usersMin} to ${ROOM_LIMITS.usersMax}, you included.`}
            required
          />
        </div>
      </Card>
      <Card title="In the meeting" description="You can change these later from the room page.">
        <RoomSettingsFields
          settings={values.settings}
          onChange={(changes) => {
            change({ settings: { ...values.settings, ...changes } });
            setErrors((current) => ({ ...current, settings: undefined }));
          }}
        />
        {errors.settings && (
          <p class="mt-2 text-sm text-error-600" role="alert">
            {errors.settings}
          </p>
        )}
      </Card>
      {formError && <Alert tone="error">{formError}</Alert>}
      <div class="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <a href={cancelHref} class={buttonClasses('ghost', 'lg')}>
          Cancel
        </a>
        <Button type="submit" size="lg" loading={submitting}>
          {values.scheduled ? 'Schedule meeting' : 'Create room'}
        </Button>
      </div>
    </form>
  );
}

function ScheduleFields({
  field,
}: {
  field: (name: 'date' | 'time' | 'durationMinutes') => {
    name: string;
    value: string;
    error: string | null;
    onInput: (event: TargetedEvent<HTMLInputElement>) => void;
  };
}) {
  return (
    <div class="grid gap-4 pb-3 sm:grid-cols-3">
      <Input {...field('date')} label="Date" type="date" required />
      <Input
        {...field('time')}
        label="Start time"
        type="time"
        hint={`Your time (${localTimeZoneName()})`}
        required
      />
      <Input
        {...field('durationMinutes')}
        label="Length in minutes"
        type="number"
        inputMode="numeric"
        min={ROOM_LIMITS.durationMin}
        max={ROOM_LIMITS.durationMax}
      />
    </div>
  );
}
