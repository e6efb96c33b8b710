import type { Quality } from '@/rtc/connection-quality';
import type { Layout } from '@/store/media';
import { LayoutSwitcher } from './LayoutSwitcher';
import { MeetingHeader } from './MeetingHeader';

export interface MeetingTopBarProps {
  name: string;
  code: string;
  people: number;
  quality: Quality | null;
  recording: boolean;
  /** A direct connection carries the call and is up. */
  direct: boolean;
  layout: Layout;
  screenAvailable: boolean;
  onLayout: (next: Layout) => void;
}

/** The meeting's name, code and state above the stage, with the layout choice. */
export function MeetingTopBar({
  layout,
  screenAvailable,
  onLayout,
  ...header
}: MeetingTopBarProps) {
  return (
    <div class="flex shrink-0 flex-wrap items-center justify-between gap-2">
      <MeetingHeader {...header} />
      <LayoutSwitcher layout={layout} screenAvailable={screenAvailable} onChange={onLayout} />
    </div>
  );
}
