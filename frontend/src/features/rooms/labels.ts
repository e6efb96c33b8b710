import type { PublicUser, RoomRole, RoomStatus } from '@/api';
import type { BadgeTone } from '@/ui';

export const ROLE_LABELS: Record<RoomRole, string> = {
  host: 'Host',
  moderator: 'Moderator',
  participant: 'Participant',
  observer: 'Observer',
};

export const STATUS_LABELS: Record<RoomStatus, { label: string; tone: BadgeTone }> = {
  active: { label: 'Active', tone: 'success' },
  ended: { label: 'Ended', tone: 'neutral' },
  cancelled: { label: 'Cancelled', tone: 'warning' },
};

export function personName(user: Pick<PublicUser, 'first_name' | 'last_name'>): string {
  return `${user.first_name} ${user.last_name}`.trim() || 'Someone';
}

export function peopleInMeeting(count: number): string {
  if (count === 0) {
    return 'Nobody in the meeting';
  }
  return count === 1 ? '1 in the meeting' : `${count} in the meeting`;
}
