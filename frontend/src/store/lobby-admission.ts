// Hosts and moderators answering the room's waiting room (decision 59): letting people in or
// turning them away. Over REST, so an answer goes through while the meeting socket
// reconnects; the server's `lobby_waiting` then tells every host and moderator the new list.
import { errorMessage, isApiError } from '@/api';
import { meetingStore } from './meeting';
import { showToast } from './ui-store';
import { roomsApi } from './user';

/** Takes people out of the shown list at once; the server's next list is the truth. */
function drop(userIds: readonly string[]): void {
  meetingStore.setState((state) => ({
    lobby: state.lobby.filter((entry) => !userIds.includes(entry.user_id)),
  }));
}

async function answer(call: (roomId: string) => Promise<unknown>, who: string[]): Promise<void> {
  const { roomId } = meetingStore.getState();
  if (!roomId) {
    return;
  }
  const before = meetingStore.getState().lobby;
  drop(who);
  try {
    await call(roomId);
  } catch (error) {
    if (isApiError(error) && error.code === 'not_waiting') {
      return; // they gave up, or another host answered first
    }
    meetingStore.setState({ lobby: before });
    showToast({ tone: 'error', title: 'Could not answer', description: errorMessage(error) });
  }
}

export function admitWaiting(userId: string): Promise<void> {
  return answer((roomId) => roomsApi.admit(roomId, userId), [userId]);
}

export function denyWaiting(userId: string): Promise<void> {
  return answer((roomId) => roomsApi.deny(roomId, userId), [userId]);
}

export function admitEveryone(): Promise<void> {
  const everyone = meetingStore.getState().lobby.map((entry) => entry.user_id);
  return answer((roomId) => roomsApi.admitAll(roomId), everyone);
}
