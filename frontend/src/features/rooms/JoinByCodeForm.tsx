import type { TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import { ROOM_CODE_EXAMPLE, parseRoomCode } from '@/lib/room-code';
import { Button, Input, KeyboardIcon } from '@/ui';

export interface JoinByCodeFormProps {
  onJoin: (code: string) => void;
  class?: string;
}

/** Takes a room code or a pasted meeting link. */
export function JoinByCodeForm({ onJoin, class: className }: JoinByCodeFormProps) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = parseRoomCode(value);
    if (!code) {
      setError(
        `That is not a meeting code. A code has 10 letters, like ${ROOM_CODE_EXAMPLE}; a whole meeting link works too.`,
      );
      return;
    }
    setError(null);
    onJoin(code);
  }

  return (
    <form noValidate class={className} onSubmit={submit}>
      <div class="flex items-start gap-2">
        <Input
          class="min-w-0 flex-1"
          label="Meeting code or link"
          hideLabel
          placeholder="Enter a code or link"
          autoComplete="off"
          spellcheck={false}
          leading={<KeyboardIcon />}
          value={value}
          error={error}
          onInput={(event) => {
            setValue(event.currentTarget.value);
            setError(null);
          }}
        />
        <Button type="submit" variant="secondary" size="lg" disabled={!value.trim()}>
          Join
        </Button>
      </div>
    </form>
  );
}
