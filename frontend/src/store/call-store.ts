// The call as the UI sees it: the route and connection state the call machine is in
// (`rtc/call-machine.ts`), what is received, per-person volume and quality.
import { createStore } from 'zustand/vanilla';
import type { MediaRoute } from '@/rtc/call-machine';
import type { CallSession } from '@/rtc/call-session';
import type { Quality } from '@/rtc/connection-quality';
import type { MediaConnectionState } from '@/rtc/peer-connection';

export type { MediaRoute } from '@/rtc/call-machine';

/** A remote stream: `<user id>` (camera and mic) or `<user id>:screen`. */
export interface RemoteStream {
  userId: string;
  source: 'camera' | 'screen';
  stream: MediaStream;
  hasAudio: boolean;
  hasVideo: boolean;
}

export interface CallState {
  connection: 'idle' | MediaConnectionState;
  route: MediaRoute;
  remotes: Record<string, RemoteStream>;
  /** My own screen share, while it runs. */
  screen: MediaStream | null;
  /** Local playback volume per person, 0 to 1 (1 when unset). */
  volumes: Record<string, number>;
  /** People muted for me only. */
  localMuted: Record<string, boolean>;
  quality: Record<string, Quality>;
  /** The loudest remote person by the browser's audio levels (when the SFU names nobody). */
  localSpeaker: string | null;
  error: string | null;
}

export const initialCallState = (): CallState => ({
  connection: 'idle',
  route: 'waiting',
  remotes: {},
  screen: null,
  volumes: {},
  localMuted: {},
  quality: {},
  localSpeaker: null,
  error: null,
});

export const callStore = createStore<CallState>()(initialCallState);

/** The call of the meeting page that is open (`attachCall`), if any. */
let attached: CallSession | null = null;

export function activeCall(): CallSession | null {
  return attached;
}

export function setActiveCall(call: CallSession | null): void {
  attached = call;
}
