import type { ComponentChildren } from 'preact';
import { cn } from '@/lib/cn';
import type { Layout } from '@/store/media';
import { GridIcon, MonitorIcon, SpeakerViewIcon } from '@/ui';

const LAYOUTS: { value: Layout; label: string; icon: ComponentChildren }[] = [
  { value: 'grid', label: 'Grid', icon: <GridIcon class="size-4" /> },
  { value: 'speaker', label: 'Speaker', icon: <SpeakerViewIcon class="size-4" /> },
  { value: 'screen', label: 'Screen', icon: <MonitorIcon class="size-4" /> },
];

/** Grid, speaker or screen view; the screen view needs someone sharing. */
export function LayoutSwitcher({
  layout,
  screenAvailable,
  onChange,
}: {
  layout: Layout;
  screenAvailable: boolean;
  onChange: (layout: Layout) => void;
}) {
  return (
    <div
      role="group"
      aria-label="Layout"
      class="inline-flex rounded-lg border border-gray-700 bg-gray-900 p-0.5"
    >
      {LAYOUTS.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={layout === option.value}
          disabled={option.value === 'screen' && !screenAvailable}
          onClick={() => {
            onChange(option.value);
          }}
          class={cn(
            'inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50',
            layout === option.value ? 'bg-green-700 text-white' : 'text-gray-300 hover:bg-gray-800',
          )}
        >
          {option.icon}
          {option.label}
        </button>
      ))}
    </div>
  );
}

/** The layout after `current` for the L shortcut. */
export function nextLayout(current: Layout, screenAvailable: boolean): Layout {
  const order: Layout[] = screenAvailable ? ['grid', 'speaker', 'screen'] : ['grid', 'speaker'];
  return order[(order.indexOf(current) + 1) % order.length] ?? 'grid';
}
