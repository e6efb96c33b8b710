import { describe, expect, it } from 'vitest';
import type { RoomRole } from '@/api';
import { may, roomAbilities } from './permissions';

describe('may', () => {
  it.each<[RoomRole | null, string[]]>([
    [
      'host',
      ['view_members', 'update', 'end', 'moderate', 'change_settings', 'assign_roles', 'delete'],
    ],
    ['moderator', ['view_members', 'update', 'end', 'moderate']],
    ['participant', ['view_members']],
    ['observer', ['view_members']],
    [null, []],
  ])('%s may do %j', (role, allowed) => {
    const actions = [
      'view_members',
      'update',
      'end',
      'moderate',
      'change_settings',
      'assign_roles',
      'delete',
    ] as const;
    expect(actions.filter((action) => may(role, action))).toEqual(allowed);
  });
});

describe('roomAbilities', () => {
  it('offers changes to an active room only, deleting always to the host', () => {
    expect(roomAbilities({ my_role: 'host', status: 'ended' })).toEqual({
      seeMembers: true,
      edit: false,
      end: false,
      cancel: false,
      changeSettings: true,
      manageBans: true,
      remove: true,
    });
    expect(roomAbilities({ my_role: 'moderator', status: 'active' })).toMatchObject({
      edit: true,
      end: true,
      cancel: true,
      changeSettings: false,
      manageBans: true,
      remove: false,
    });
  });
});
