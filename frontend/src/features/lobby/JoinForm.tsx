import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { PasswordInput } from '@/features/rooms';
import type { JoinRefusal } from '@/store';
import { Alert, Button, buttonClasses } from '@/ui';

export interface JoinFormProps {
  needsPassword: boolean;
  joining: boolean;
  refusal: JoinRefusal | null;
  /** Grows with every wrong password, so the field shakes each time. */
  wrongPasswords: number;
  maxUsers: number;
  onJoin: (password: string) => void;
  backHref: string;
}

function RefusalAlert({ refusal, maxUsers }: { refusal: JoinRefusal; maxUsers: number }) {
  if (refusal.code === 'room_full') {
    return (
      <Alert tone="error" title="This meeting is full">
        All {maxUsers} places are taken. Try again when someone leaves.
      </Alert>
    );
  }
  return <Alert tone="error">{refusal.message}</Alert>;
}

const SHAKE = 'motion-safe:animate-shake';

/** Shakes the password field once per wrong password and selects what was typed. */
function useShakeOnWrongPassword(wrongPasswords: number) {
  const fieldRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const field = fieldRef.current;
    if (!field || wrongPasswords === 0) {
      return;
    }
    field.classList.remove(SHAKE);
    // Taking the element's size makes the browser notice the removal, so adding the class
    // back starts the animation again.
    field.getBoundingClientRect();
    field.classList.add(SHAKE);
    field.querySelector('input')?.select();
  }, [wrongPasswords]);
  return fieldRef;
}

/** The room password when one is needed, the server's refusal if any, and Join. */
export function JoinForm({
  needsPassword,
  joining,
  refusal,
  wrongPasswords,
  maxUsers,
  onJoin,
  backHref,
}: JoinFormProps) {
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const shakingRef = useShakeOnWrongPassword(wrongPasswords);
  const wrongPassword = refusal?.code === 'wrong_password';
  const passwordError = missing
    ? 'Enter the meeting password.'
    : wrongPassword
      ? 'That password is not right. Check it with the host and try again.'
      : null;

  function submit(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    if (needsPassword && !password) {
      setMissing(true);
      return;
    }
    onJoin(password);
  }

  return (
    <form
      noValidate
      onSubmit={submit}
      class="mt-6 flex w-full flex-col gap-4 text-left sm:max-w-sm"
    >
      {refusal && !wrongPassword && <RefusalAlert refusal={refusal} maxUsers={maxUsers} />}
      {needsPassword && (
        <div ref={shakingRef} data-testid="password-field">
          <PasswordInput
            label="Meeting password"
            autoComplete="off"
            value={password}
            error={passwordError}
            hint="The host set a password for this meeting."
            onInput={(event) => {
              setPassword(event.currentTarget.value);
              setMissing(false);
            }}
          />
        </div>
      )}
      <div class="flex flex-col gap-3 sm:flex-row">
        <Button type="submit" size="lg" loading={joining}>
          Join now
        </Button>
        <a href={backHref} class={buttonClasses('ghost', 'lg')}>
          Back to dashboard
        </a>
      </div>
    </form>
  );
}
