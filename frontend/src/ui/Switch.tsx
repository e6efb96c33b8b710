import { useId } from 'preact/hooks';
import { cn } from '@/lib/cn';

export interface SwitchProps {
  label: string;
  description?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}

/** An on/off setting that applies at once, announced as a switch. */
export function Switch({ label, description, checked, onChange, disabled = false }: SwitchProps) {
  const id = `switch-${useId()}`;
  return (
    <div class="flex items-start justify-between gap-4 py-3">
      <div class="min-w-0">
        <label id={`${id}-label`} for={id} class="text-sm font-medium text-gray-900">
          {label}
        </label>
        {description && (
          <p id={`${id}-description`} class="mt-0.5 text-sm text-gray-600">
            {description}
          </p>
        )}
      </div>
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        aria-describedby={description ? `${id}-description` : undefined}
        disabled={disabled}
        onClick={() => {
          onChange(!checked);
        }}
        class={cn(
          'relative inline-flex h-6 w-11 shrink-0 cursor-pointer items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-50',
          checked ? 'bg-green-700' : 'bg-gray-300',
        )}
      >
        <span
          aria-hidden="true"
          class={cn(
            'inline-block size-5 rounded-full bg-white shadow transition-transform',
            checked ? 'translate-x-5.5' : 'translate-x-0.5',
          )}
        />
      </button>
    </div>
  );
}
