import { useState } from 'preact/hooks';
import type { InputProps } from '@/ui';
import { EyeIcon, EyeOffIcon, Input } from '@/ui';

/** A password field with a button that shows or hides what was typed. */
export function PasswordInput(props: Omit<InputProps, 'type' | 'trailing'>) {
  const [visible, setVisible] = useState(false);
  return (
    <Input
      {...props}
      type={visible ? 'text' : 'password'}
      trailing={
        <button
          type="button"
          class="rounded-full p-2 text-gray-600 hover:bg-gray-100 hover:text-gray-900"
          aria-label={visible ? 'Hide password' : 'Show password'}
          aria-pressed={visible}
          onClick={() => {
            setVisible(!visible);
          }}
        >
          {visible ? <EyeOffIcon /> : <EyeIcon />}
        </button>
      }
    />
  );
}
