import type { TargetedEvent } from 'preact';
import { useId } from 'preact/hooks';
import { ChevronDownIcon } from './icons';

export interface SelectOption<Value extends string> {
  value: Value;
  label: string;
}

export interface SelectProps<Value extends string> {
  label: string;
  description?: string;
  value: Value;
  options: readonly SelectOption<Value>[];
  onChange: (value: Value) => void;
  disabled?: boolean;
}

/** A setting with a few choices, laid out like a Switch row. */
export function Select<Value extends string>({
  label,
  description,
  value,
  options,
  onChange,
  disabled = false,
}: SelectProps<Value>) {
  const id = `select-${useId()}`;
  const onSelect = (event: TargetedEvent<HTMLSelectElement>) => {
    const chosen = options.find((option) => option.value === event.currentTarget.value);
    if (chosen) {
      onChange(chosen.value);
    }
  };
  return (
    <div class="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
      <div class="min-w-0">
        <label for={id} class="text-sm font-medium text-gray-900">
          {label}
        </label>
        {description && (
          <p id={`${id}-description`} class="mt-0.5 text-sm text-gray-600">
            {description}
          </p>
        )}
      </div>
      <div class="relative shrink-0">
        <select
          id={id}
          value={value}
          disabled={disabled}
          aria-describedby={description ? `${id}-description` : undefined}
          onChange={onSelect}
          class="h-10 w-full cursor-pointer appearance-none rounded-lg border border-gray-300 bg-white pr-9 pl-3 text-sm text-gray-900 shadow-xs hover:border-gray-400 focus:border-green-600 focus:ring-3 focus:ring-green-500/25 focus:outline-none disabled:cursor-not-allowed disabled:opacity-50 sm:w-44"
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <ChevronDownIcon class="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-gray-500" />
      </div>
    </div>
  );
}
