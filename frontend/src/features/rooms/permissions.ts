import type { Room, RoomRole } from '@/api';

// The server's permission table (docs/api.md, "Who may do what"); the server has the final
// word, this only decides which buttons to offer.
export type RoomAction =
  'view_members' | 'update' | 'end' | 'moderate' | 'change_settings' | 'assign_roles' | 'delete';

const LEADERS: readonly RoomRole[] = ['host', 'moderator'];
const EVERY_MEMBER: readonly RoomRole[] = ['host', 'moderator', 'participant', 'observer'];

const ALLOWED: Record<RoomAction, readonly RoomRole[]> = {
  view_members: EVERY_MEMBER,
  update: LEADERS,
  end: LEADERS,
  moderate: LEADERS,
  change_settings: ['host'],
  assign_roles: ['host'],
  delete: ['host'],
};

export function may(role: RoomRole | null, action: RoomAction): boolean {
  return role !== null && ALLOWED[action].includes(role);
}

/** What the caller may do with this room now, its status included. */
export function roomAbilities(room: Pick<Room, 'my_role' | 'status'>) {
  const active = room.status === 'active';
  return {
    seeMembers: may(room.my_role, 'view_members'),
    edit: active && may(room.my_role, 'update'),
    end: active && may(room.my_role, 'end'),
    cancel: active && may(room.my_role, 'update'),
    changeSettings: may(room.my_role, 'change_settings'),
    /** Who may remove people may see them and let them back in. */
    manageBans: may(room.my_role, 'moderate'),
    remove: may(room.my_role, 'delete'),
  };
}

export type RoomAbilities = ReturnType<typeof roomAbilities>;
