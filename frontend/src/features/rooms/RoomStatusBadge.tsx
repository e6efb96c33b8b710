import type { RoomStatus } from '@/api';
import { Badge } from '@/ui';
import { STATUS_LABELS } from './labels';

export function RoomStatusBadge({ status }: { status: RoomStatus }) {
  const { label, tone } = STATUS_LABELS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
