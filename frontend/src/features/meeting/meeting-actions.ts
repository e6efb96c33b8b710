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
  setRecording,
  showToast,
} from '@/store';
import { SignalingError } from '@/rtc';
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

// Why the server refused to start or stop recording, in words for the person who asked.
const RECORDING_REFUSALS: Readonly<Record<string, string>> = {
  recording_unavailable: 'This server does not record meetings.',
  not_allowed: 'You are not allowed to record in this room.',
  media_not_started: 'The meeting is still connecting. Try again in a moment.',
};

export function recordingRefusal(error: unknown): string {
  if (error instanceof SignalingError) {
    return RECORDING_REFUSALS[error.code] ?? error.message;
  }
  return errorMessage(error);
}

/** Starts or stops recording; a refusal says why in a toast. */
export const toggleRecording = () => {
  const active = !meetingStore.getState().recording;
  return setRecording(active).catch((error: unknown) => {
    showToast({
      tone: 'error',
      title: active ? 'Could not start recording' : 'Could not stop recording',
      description: recordingRefusal(error),
    });
  });
};
