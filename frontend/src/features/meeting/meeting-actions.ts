// What the meeting's buttons and shortcuts do; a refused request becomes a toast.
import type { LiveParticipant } from '@/api';
import { errorMessage } from '@/api';
import {
  endMeetingForAll,
  meetingStore,
  muteParticipant,
  raiseHand,
  removeParticipant,
  selectMe,
  showToast,
} from '@/store';
import {
  callStore,
  startScreenShare,
  stopScreenShare,
  toggleMeetingCamera,
  toggleMeetingMic,
} from '@/store/media-call';

/** Runs a meeting request; a refusal becomes a toast. */
export function attempt(title: string, action: () => Promise<void>): Promise<void> {
  return action().catch((error: unknown) => {
    showToast({ tone: 'error', title, description: errorMessage(error) });
  });
}

export const toggleMute = () => void attempt('Could not change the microphone', toggleMeetingMic);

export const toggleVideo = () => void attempt('Could not change the camera', toggleMeetingCamera);

export const toggleShare = () =>
  void attempt('Could not share the screen', () =>
    callStore.getState().screen ? stopScreenShare() : startScreenShare(),
  );

export const toggleHand = () =>
  void attempt('Could not raise your hand', () =>
    raiseHand(!(selectMe(meetingStore.getState())?.hand ?? false)),
  );

export const endForAll = () => attempt('Could not end the meeting', endMeetingForAll);

export const mutePerson = (person: LiveParticipant) =>
  void attempt('Could not mute', () => muteParticipant(person.user_id));

export const removePerson = (person: LiveParticipant) =>
  attempt('Could not remove', () => removeParticipant(person.user_id));
