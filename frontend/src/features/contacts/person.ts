import type { PublicUser } from '@/api';

export function personName(person: Pick<PublicUser, 'first_name' | 'last_name'>): string {
  return `${person.first_name} ${person.last_name}`.trim() || 'Unnamed person';
}
