import type { ApiClient } from './client';
import type {
  Admitted,
  AssignableRole,
  HistoryPage,
  JoinRequest,
  JoinWaiting,
  Joined,
  LobbyEntry,
  LobbyPlace,
  MessagePage,
  MessageQuery,
  NewRoom,
  PageQuery,
  Participant,
  Room,
  RoomBan,
  RoomChanges,
  RoomPage,
  RoomQuery,
  RoomSettings,
  RoomSettingsChanges,
  SignalingPlace,
} from './schema';

/** A downloaded calendar invitation (made here from `GET /rooms/{id}/invite.ics`). */
export interface Invitation {
  filename: string;
  text: string;
}

/** `{roomId}` in a path: a room's UUID or its meeting code. */
const roomPath = (roomId: string, rest = '') => `/rooms/${encodeURIComponent(roomId)}${rest}`;

/** `/rooms/*`: creating and scheduling rooms, joining them, their people, history and settings. */
export function roomEndpoints(client: ApiClient) {
  return {
    create: (room: NewRoom) => client.post<Room>('/rooms', room),
    list: (query: RoomQuery = {}) => client.get<RoomPage>('/rooms', { query: { ...query } }),
    myHistory: (query: PageQuery = {}) =>
      client.get<HistoryPage>('/rooms/history', { query: { ...query } }),
    get: (roomId: string) => client.get<Room>(roomPath(roomId)),
    update: (roomId: string, changes: RoomChanges) => client.put<Room>(roomPath(roomId), changes),
    cancel: (roomId: string) => client.put<Room>(roomPath(roomId), { status: 'cancelled' }),
    remove: (roomId: string) => client.delete<undefined>(roomPath(roomId)),
    /** A seat (200), or in a room with a waiting room a place in it (202, `status: waiting`). */
    join: (roomId: string, request: JoinRequest = {}) =>
      client.post<Joined | JoinWaiting>(roomPath(roomId, '/join'), request),
    /** The waiting room: the caller's place (looking keeps it), giving it up. */
    lobbyPlace: (roomId: string) => client.get<LobbyPlace>(roomPath(roomId, '/lobby/me')),
    leaveLobby: (roomId: string) => client.delete<undefined>(roomPath(roomId, '/lobby/me')),
    /** Hosts and moderators: who waits, letting them in, turning them away. */
    lobby: (roomId: string) => client.get<LobbyEntry[]>(roomPath(roomId, '/lobby')),
    admit: (roomId: string, userId: string) =>
      client.post<undefined>(roomPath(roomId, `/lobby/${encodeURIComponent(userId)}/admit`)),
    deny: (roomId: string, userId: string) =>
      client.post<undefined>(roomPath(roomId, `/lobby/${encodeURIComponent(userId)}/deny`)),
    admitAll: (roomId: string) => client.post<Admitted>(roomPath(roomId, '/lobby/admit-all')),
    /** Where to open the room's signaling socket; asked before every connect. */
    signaling: (roomId: string) => client.get<SignalingPlace>(roomPath(roomId, '/signaling')),
    leave: (roomId: string) => client.post<undefined>(roomPath(roomId, '/leave')),
    end: (roomId: string) => client.post<Room>(roomPath(roomId, '/end')),
    participants: (roomId: string, includeLeft = false) =>
      client.get<Participant[]>(roomPath(roomId, '/participants'), {
        query: { include_left: includeLeft },
      }),
    assignRole: (roomId: string, userId: string, role: AssignableRole) =>
      client.put<Participant>(roomPath(roomId, `/participants/${encodeURIComponent(userId)}`), {
        role,
      }),
    /** Hosts and moderators: who was removed, and letting one of them back in. */
    bans: (roomId: string) => client.get<RoomBan[]>(roomPath(roomId, '/bans')),
    liftBan: (roomId: string, userId: string) =>
      client.delete<undefined>(roomPath(roomId, `/bans/${encodeURIComponent(userId)}`)),
    history: (roomId: string, query: PageQuery = {}) =>
      client.get<HistoryPage>(roomPath(roomId, '/history'), { query: { ...query } }),
    messages: (roomId: string, query: MessageQuery = {}) =>
      client.get<MessagePage>(roomPath(roomId, '/messages'), { query: { ...query } }),
    settings: (roomId: string) => client.get<RoomSettings>(roomPath(roomId, '/settings')),
    updateSettings: (roomId: string, changes: RoomSettingsChanges) =>
      client.put<RoomSettings>(roomPath(roomId, '/settings'), changes),
    /** The `.ics` invitation of a scheduled meeting, fetched with the caller's token. */
    invitation: async (roomId: string): Promise<Invitation> => {
      const text = await client.get<string>(roomPath(roomId, '/invite.ics'), {
        headers: { Accept: 'text/calendar' },
      });
      return { filename: `rapat-${roomId}.ics`, text };
    },
  };
}

export type RoomEndpoints = ReturnType<typeof roomEndpoints>;
