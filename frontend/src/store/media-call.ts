// The meeting's media, tied to the stores: a CallSession (`rtc/call-session.ts`) per visit of
// the meeting page, started by the room state, fed the meeting's events and local tracks,
// and reflected in `callStore`. The route (waiting, direct, SFU) is the call machine's.
import type { RoomSettings, ServerEvent } from '@/api';
import { rtcEndpoints } from '@/api';
import { pickSpeaker } from '@/rtc/active-speaker';
import type { CallMachineState } from '@/rtc/call-machine';
import { connectionOf, routeOf } from '@/rtc/call-machine';
import type { SessionFactory } from '@/rtc/call-session';
import { CallSession } from '@/rtc/call-session';
import { audioLevels, receivedQuality } from '@/rtc/call-stats';
import type { LossCounters } from '@/rtc/connection-quality';
import { IceServerSource } from '@/rtc/ice-servers';
import { encodingLimit } from '@/rtc/media-constraints';
import type { RemoteTrack } from '@/rtc/peer-connection';
import { MediaSession } from '@/rtc/peer-connection';
import { remoteKey, shownRemote } from '@/rtc/remote-tracks';
import { stopScreenShare } from './call-actions';
import { activeCall, callStore, initialCallState, setActiveCall } from './call-store';
import {
  mediaStore,
  onLocalTrack,
  selectSentResolution,
  setVideoCap,
  whenDevicesSettled,
} from './media';
import {
  meetingRequest,
  meetingStore,
  onMeetingEvent,
  onMeetingStatus,
  reconnectMeeting,
  selectMe,
  setMuted,
  setVideo,
} from './meeting';
import type { MeetingState } from './meeting-state';
import { lobbyStore } from './lobby';
import { showToast } from './ui-store';
import { attachVideoVisibility } from './video-visibility';
import { api, userStore } from './user';

export type { CallState, MediaRoute, RemoteStream } from './call-store';
export { callStore } from './call-store';
export {
  setVolume,
  startScreenShare,
  stopScreenShare,
  toggleLocalMute,
  toggleMeetingCamera,
  toggleMeetingMic,
  useDisplayMedia,
} from './call-actions';

const seams: { createSession: SessionFactory | undefined } = { createSession: undefined };

/** Tests build sessions over a fake peer connection; null restores the real one. */
export function useSessionFactory(factory: SessionFactory | null): void {
  seams.createSession = factory ?? undefined;
}

/** STUN/TURN servers with the signed-in person's TURN credential, fetched ahead of need. */
const iceServerSource = new IceServerSource({ load: () => rtcEndpoints(api.client).iceServers() });

/** Forgets the fetched ICE servers (and the TURN credential in them). */
export function forgetIceServers(): void {
  iceServerSource.clear();
}

function myId(): string {
  return userStore.getState().user?.id ?? '';
}

function canPublish(): boolean {
  const role = meetingStore.getState().myRole;
  return role !== null && role !== 'observer';
}

/** Shows in `callStore` the stream `remote`'s person (or screen) is to be seen in now: of the
 * connections bringing them, the preferred one (`shownRemote`); none, and the tile goes. */
function showRemote(call: CallSession, remote: RemoteTrack): void {
  const key = remoteKey(remote);
  const shown = shownRemote(
    call.receiving().map((session) => session.remoteTracks()),
    key,
  );
  callStore.setState((state) => {
    const remotes = Object.fromEntries(Object.entries(state.remotes).filter(([id]) => id !== key));
    if (shown) {
      remotes[key] = {
        userId: shown.userId,
        source: shown.source,
        stream: shown.stream,
        hasAudio: shown.tracks.some((t) => t.kind === 'audio'),
        hasVideo: shown.tracks.some((t) => t.kind === 'video'),
      };
    }
    return { remotes };
  });
}

/** The call machine's route and connection state, as the UI shows them. */
function reflect(state: CallMachineState): void {
  const route = routeOf(state);
  const connection = connectionOf(state);
  const shown = callStore.getState();
  if (shown.route !== route || shown.connection !== connection) {
    callStore.setState({ route, connection });
  }
}

/** The server's view of me decides what my tracks send: a host mute turns my mic off too. */
function applyMyFlags(call: CallSession): void {
  const me = selectMe(meetingStore.getState());
  const { audioTrack, videoTrack } = mediaStore.getState();
  if (!me) {
    return;
  }
  if (audioTrack) {
    audioTrack.enabled = !me.muted;
  }
  if (videoTrack) {
    videoTrack.enabled = me.video;
  }
  // Only a share this session sends: one carried over a reconnect is announced again first
  // (`resumeScreenShare`), and the room state's flag may predate that.
  if (!me.screen && callStore.getState().screen && call.sends('screen')) {
    void stopScreenShare(false);
  }
}

/** Loudest remote person by the browser's audio levels. */
async function sampleSpeaker(call: CallSession): Promise<void> {
  const sessions = call.receiving();
  if (sessions.length === 0) {
    return;
  }
  const { participants } = meetingStore.getState();
  const muted = new Set(participants.filter((p) => p.muted).map((p) => p.user_id));
  const levels = await audioLevels(sessions, muted);
  const current = callStore.getState().localSpeaker;
  const next = pickSpeaker(levels, current);
  if (next !== current) {
    callStore.setState({ localSpeaker: next });
  }
}

async function sampleQuality(call: CallSession, counters: LossCounters): Promise<void> {
  const sessions = call.receiving();
  if (sessions.length > 0) {
    callStore.setState({ quality: await receivedQuality(sessions, counters) });
  }
}

/** Ends the media session and clears what it received and sent. A screen share goes on
 * (its capture keeps running): the next session sends it again (`resumeScreenShare`). */
function stopSession(call: CallSession): void {
  call.stop();
  callStore.setState({
    remotes: {},
    quality: {},
    localSpeaker: null,
    connection: 'idle',
    route: 'waiting',
  });
}

/** Joins the SFU and sends my microphone and camera as the pre-join screen (or, after a
 * reconnect, the server) has them. */
async function startSession(call: CallSession): Promise<void> {
  stopSession(call);
  const run = call.start();
  const first = call.started === 1;
  call.every(1000, () => void sampleSpeaker(call));
  await meetingRequest({ type: 'join_room', data: { media: true } });
  if (!call.isCurrent(run)) {
    return;
  }
  call.joined();
  if (!canPublish()) {
    dropScreen(); // an observer now: the server turned the share off with the role
    return;
  }
  await whenDevicesSettled();
  if (!call.isCurrent(run)) {
    return;
  }
  await sendMyMedia(call, first);
  await resumeScreenShare(call, run);
  const counters: LossCounters = new Map();
  call.every(3000, () => void sampleQuality(call, counters));
}

/** Stops the screen capture here; the server is not told (it is gone, or told otherwise). */
function dropScreen(): void {
  const shared = callStore.getState().screen;
  shared?.getTracks().forEach((t) => {
    t.stop();
  });
  callStore.setState({ screen: null });
}

/** A share that ran when the socket dropped (say the SFU connection lost its ICE consent and
 * the call machine reconnected): the server forgot its track with the old media session, so
 * it is announced again and sent on the new one; if the server refuses, the share ends and
 * the person is told. A share the person ended meanwhile is ended at the server too. */
async function resumeScreenShare(call: CallSession, run: number): Promise<void> {
  const shared = callStore.getState().screen;
  const track = shared?.getVideoTracks()[0];
  if (!shared || !track || track.readyState === 'ended') {
    if (shared) {
      dropScreen();
      showToast({ tone: 'warning', title: 'Your screen share ended' });
    }
    if (selectMe(meetingStore.getState())?.screen) {
      await meetingRequest({ type: 'screen_share', data: { active: false } });
    }
    return;
  }
  try {
    await meetingRequest({ type: 'screen_share', data: { active: true, track_id: track.id } });
  } catch (error) {
    if (callStore.getState().screen === shared) {
      dropScreen();
      const reason = error instanceof Error ? { description: error.message } : {};
      showToast({ tone: 'warning', title: 'Your screen share ended', ...reason });
    }
    return;
  }
  if (call.isCurrent(run) && callStore.getState().screen === shared) {
    call.publish('screen', track, shared);
  }
}

/** The pre-join screen's choice, narrowed by the room: a room that mutes people or turns
 * cameras off as they join does so for everyone but the host (who may turn them on after). */
function joinChoice(meeting: MeetingState): { micEnabled: boolean; cameraEnabled: boolean } {
  const { micEnabled, cameraEnabled } = lobbyStore.getState();
  const bound = meeting.myRole !== 'host' ? meeting.settings : null;
  return {
    micEnabled: micEnabled && !bound?.mute_on_join,
    cameraEnabled: cameraEnabled && !bound?.camera_off_on_join,
  };
}

/** What the pre-join screen left on is what the others are told, then sent. After a
 * reconnect the server kept the flags; only a missing device turns one off. */
async function sendMyMedia(call: CallSession, first: boolean): Promise<void> {
  const meeting = meetingStore.getState();
  const me = selectMe(meeting);
  const { audioTrack, videoTrack, stream } = mediaStore.getState();
  const choice = first ? joinChoice(meeting) : null;
  const micOn = audioTrack !== null && (choice ? choice.micEnabled : !(me?.muted ?? true));
  const cameraOn = videoTrack !== null && (choice ? choice.cameraEnabled : (me?.video ?? false));
  if (me?.muted === micOn) {
    await setMuted(!micOn);
  }
  if (me && me.video !== cameraOn) {
    await setVideo(cameraOn);
  }
  // The server's confirmation may come after its ack: nothing goes out unchosen meanwhile.
  if (audioTrack) {
    audioTrack.enabled = micOn;
  }
  if (videoTrack) {
    videoTrack.enabled = cameraOn;
  }
  if (stream && audioTrack) {
    call.publish('audio', audioTrack, stream);
  }
  if (stream && videoTrack) {
    call.publish('video', videoTrack, stream);
  }
}

function onEvent(call: CallSession, event: ServerEvent): void {
  if (event.type === 'room_state' && call.state.phase === 'idle') {
    void startSession(call).catch((error: unknown) => {
      callStore.setState({ error: error instanceof Error ? error.message : String(error) });
    });
    return;
  }
  call.handle(event);
}

function followLocalTracks(call: CallSession): () => void {
  return onLocalTrack((kind, track) => {
    if (!call.replace(kind, track) && track && canPublish()) {
      const stream = mediaStore.getState().stream;
      if (stream) {
        applyMyFlags(call);
        call.publish(kind, track, stream);
      }
    }
    applyMyFlags(call);
  });
}

/** The camera sender's limit: the quality sent, scaled down if the camera gave more. */
function cameraLimit() {
  const state = mediaStore.getState();
  return encodingLimit(selectSentResolution(state), state.videoSize);
}

/** The room's video quality cap, from the room state and every change a host makes. */
function followRoomVideoCap(): () => void {
  const capOf = (settings: RoomSettings | null) => settings?.max_video_resolution ?? null;
  void setVideoCap(capOf(meetingStore.getState().settings));
  return meetingStore.subscribe((state, previous) => {
    if (capOf(state.settings) !== capOf(previous.settings)) {
      void setVideoCap(capOf(state.settings));
    }
  });
}

function newCall(): CallSession {
  const call: CallSession = new CallSession({
    signal: meetingRequest,
    reconnect: reconnectMeeting,
    me: myId,
    iceServers: iceServerSource,
    videoLimit: cameraLimit,
    onTrack: (remote) => {
      showRemote(call, remote);
    },
    onTrackEnded: (remote) => {
      showRemote(call, remote);
    },
    onError: (message) => {
      callStore.setState({ error: message });
    },
    createSession: (options) =>
      seams.createSession ? seams.createSession(options) : new MediaSession(options),
  });
  return call;
}

/** Starts media with the meeting's socket; returns the function that stops it. */
export function attachCall(): () => void {
  const call = newCall();
  setActiveCall(call);
  void iceServerSource.get(myId()); // usually ready before the room state arrives
  const stops = [
    call.subscribe(reflect),
    onMeetingEvent((event) => {
      onEvent(call, event);
    }),
    onMeetingStatus((status) => {
      if (status.state !== 'open') {
        // The server dropped our media session with the socket; the next room_state restarts it.
        stopSession(call);
      }
      if (status.state === 'closed') {
        dropScreen(); // no next session: the meeting is over for this page
      }
    }),
    meetingStore.subscribe((state, previous) => {
      if (selectMe(state) !== selectMe(previous)) {
        applyMyFlags(call);
      }
    }),
    followLocalTracks(call),
    mediaStore.subscribe((state, previous) => {
      const sent = selectSentResolution(state);
      if (sent !== selectSentResolution(previous) || state.videoSize !== previous.videoSize) {
        call.setVideoLimit(cameraLimit());
      }
    }),
    followRoomVideoCap(),
    attachVideoVisibility(),
  ];
  return () => {
    stops.forEach((stop) => {
      stop();
    });
    stopSession(call);
    dropScreen();
    void setVideoCap(null);
    if (activeCall() === call) {
      setActiveCall(null);
    }
    callStore.setState(initialCallState(), true);
  };
}
