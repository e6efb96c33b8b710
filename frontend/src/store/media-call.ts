// The meeting's media: a MediaSession to the SFU over the meeting socket and, in a call of
// two, a direct one to the other browser (the server's `media_mode` advice); the local tracks
// published on whichever carries them, what is received, per-person volume, and quality.
import { createStore } from 'zustand/vanilla';
import type { MediaModeAdvice, ServerEvent } from '@/api';
import { rtcEndpoints } from '@/api';
import type { Quality } from '@/rtc/connection-quality';
import { pickSpeaker } from '@/rtc/active-speaker';
import { sampleQuality } from '@/rtc/connection-quality';
import type { LossCounters } from '@/rtc/connection-quality';
import { IceServerSource } from '@/rtc/ice-servers';
import { captureProblemText, RESOLUTIONS } from '@/rtc/media-constraints';
import type { MediaConnectionState, RemoteTrack } from '@/rtc/peer-connection';
import { MediaSession } from '@/rtc/peer-connection';
import type { OutgoingKind } from '@/rtc/outbox';
import { Outbox } from '@/rtc/outbox';
import { acquire, mediaStore, onLocalTrack, whenDevicesSettled } from './media';
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
import { roomStore } from './lobby';
import { api, userStore } from './user';

/** A remote stream: `<user id>` (camera and mic) or `<user id>:screen`. */
export interface RemoteStream {
  userId: string;
  source: 'camera' | 'screen';
  stream: MediaStream;
  hasAudio: boolean;
  hasVideo: boolean;
}

/** How media flows: straight between two browsers, through the SFU, or not yet (alone in a
 * room that allows a direct call, or before the server's advice). */
export type MediaRoute = 'waiting' | 'direct' | 'sfu';

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

const initialCallState = (): CallState => ({
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

type SessionFactory = (options: ConstructorParameters<typeof MediaSession>[0]) => MediaSession;
let createSession: SessionFactory = (options) => new MediaSession(options);

/** Tests build sessions over a fake peer connection; null restores the real one. */
export function useSessionFactory(factory: SessionFactory | null): void {
  createSession = factory ?? ((options) => new MediaSession(options));
}

/** The connection to the SFU, made for every media session. */
let session: MediaSession | null = null;
let sfuState: MediaConnectionState = 'new';
/** The direct connection of a call of two, and the one being handed over to the SFU. */
let direct: MediaSession | null = null;
let retiring: MediaSession | null = null;
let directTimer: ReturnType<typeof setTimeout> | null = null;
let retireTimer: ReturnType<typeof setTimeout> | null = null;
/** The server advised a route for this session (it does so before acking `join_room`). */
let advised = false;
/** Once on the SFU, a session stays there (as the server does from the third person on). */
let sfuForGood = false;
/** People a direct connection failed with: this visit reaches them through the SFU. */
const unreachable = new Set<string>();
/** A direct connection not up this long, or down this long, gives way to the SFU. */
const DIRECT_CONNECT_MS = 15_000;
const DIRECT_RECOVERY_MS = 6000;
/** The direct connection keeps playing until the SFU brings the same person, this long at most. */
const HANDOVER_MS = 5000;
const outbox = new Outbox<MediaSession>((kind, sender, on) => {
  if (kind === 'video') {
    const { maxBitrate } = RESOLUTIONS[mediaStore.getState().prefs.resolution];
    void on.setMaxBitrate(sender, maxBitrate).catch(() => undefined);
  }
});
let needsStart = true;
/** The first media session of a visit takes the pre-join choices; later ones the server's. */
let firstStart = true;
let qualityTimer: ReturnType<typeof setInterval> | null = null;
let speakerTimer: ReturnType<typeof setInterval> | null = null;
let lossCounters: LossCounters = new Map();
/** A media connection down this long gets a fresh one through a signaling reconnect. */
const MEDIA_RECOVERY_MS = 8000;
let recoveryTimer: ReturnType<typeof setTimeout> | null = null;
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

function streamEntry(remote: RemoteTrack): RemoteStream {
  const tracks = remote.stream.getTracks().filter((t) => t.readyState !== 'ended');
  return {
    userId: remote.userId,
    source: remote.source,
    stream: remote.stream,
    hasAudio: tracks.some((t) => t.kind === 'audio'),
    hasVideo: tracks.some((t) => t.kind === 'video'),
  };
}

/** `<user id>` or `<user id>:screen`, whichever connection brings it. */
function remoteKey(remote: RemoteTrack): string {
  return remote.source === 'screen' ? `${remote.userId}:screen` : remote.userId;
}

function trackAdded(remote: RemoteTrack): void {
  callStore.setState((state) => ({
    remotes: { ...state.remotes, [remoteKey(remote)]: streamEntry(remote) },
  }));
  if (retiring !== null && remote.userId === retiring.directPeer && session?.owns(remote)) {
    retireDirect(); // the SFU brings them now
  }
}

function trackEnded(remote: RemoteTrack): void {
  callStore.setState((state) => {
    const id = remoteKey(remote);
    if (state.remotes[id]?.stream !== remote.stream) {
      return {}; // another connection brings this person now
    }
    const left = remote.stream.getTracks().filter((t) => t !== remote.track);
    const remotes = Object.fromEntries(Object.entries(state.remotes).filter(([key]) => key !== id));
    if (left.length > 0 && session !== null) {
      remotes[id] = {
        ...streamEntry(remote),
        hasAudio: left.some((t) => t.kind === 'audio'),
        hasVideo: left.some((t) => t.kind === 'video'),
      };
    }
    return { remotes };
  });
}

function sfuStateChanged(state: MediaConnectionState): void {
  sfuState = state;
  if (callStore.getState().route !== 'sfu') {
    return; // nothing goes through the SFU yet
  }
  callStore.setState({ connection: state });
  if (recoveryTimer !== null) {
    clearTimeout(recoveryTimer);
    recoveryTimer = null;
  }
  if (state === 'failed') {
    reconnectMeeting();
  } else if (state === 'reconnecting') {
    recoveryTimer = setTimeout(reconnectMeeting, MEDIA_RECOVERY_MS);
  }
}

function publish(kind: OutgoingKind, track: MediaStreamTrack, stream: MediaStream): void {
  if (session) {
    outbox.add(kind, track, stream);
  }
}

function clearDirectTimer(): void {
  if (directTimer !== null) {
    clearTimeout(directTimer);
    directTimer = null;
  }
}

/** The server's advice: a direct call with one person, waiting for one, or the SFU. */
function adviseRoute(advice: MediaModeAdvice): void {
  advised = true;
  if (advice.mode === 'sfu') {
    useSfu();
  } else if (sfuForGood) {
    // Stays on the SFU; the other side's direct attempt times out and follows.
  } else if (advice.peer === null) {
    endDirect();
    outbox.moveTo(null);
    callStore.setState({ route: 'waiting', connection: 'idle' });
  } else if (unreachable.has(advice.peer)) {
    useSfu();
  } else {
    startDirect(advice.peer, advice.polite);
  }
}

function startDirect(peer: string, polite: boolean): void {
  endDirect();
  // The session reports its first state while it is being made: `made` is null then.
  let made: MediaSession | null = null;
  const current = createSession({
    iceServers: iceServerSource.known(myId()) ?? [],
    signal: meetingRequest,
    direct: { userId: peer, polite, streamName: (id) => outbox.streamName(id, myId()) },
    onTrack: trackAdded,
    onTrackEnded: trackEnded,
    onState: (state) => {
      if (made) {
        directStateChanged(made, state);
      }
    },
    onError: (message) => {
      console.warn('Direct media negotiation:', message);
    },
  });
  made = current;
  direct = current;
  outbox.moveTo(current);
  callStore.setState({ route: 'direct', connection: 'new' });
  directTimer = setTimeout(() => {
    giveUpDirect(current, `not connected in ${DIRECT_CONNECT_MS / 1000} s`);
  }, DIRECT_CONNECT_MS);
}

function directStateChanged(current: MediaSession, state: MediaConnectionState): void {
  if (current !== direct) {
    return;
  }
  callStore.setState({ connection: state === 'failed' ? 'reconnecting' : state });
  if (state === 'connected') {
    clearDirectTimer();
  } else if (state === 'failed') {
    giveUpDirect(current, 'the connection failed');
  } else if (state === 'reconnecting' && directTimer === null) {
    directTimer = setTimeout(() => {
      giveUpDirect(current, `lost for ${DIRECT_RECOVERY_MS / 1000} s`);
    }, DIRECT_RECOVERY_MS);
  }
}

/** A direct connection that did not come up (or went down): the SFU carries this call. */
function giveUpDirect(current: MediaSession, reason: string): void {
  if (current !== direct) {
    return;
  }
  const peer = current.directPeer;
  if (peer !== null) {
    unreachable.add(peer);
  }
  console.warn(`Direct media connection: ${reason}; the server carries the call.`);
  useSfu();
}

/** Publishes everything to the SFU for the rest of this session; a direct connection keeps
 * playing until the SFU brings the same person (HANDOVER_MS at most). */
function useSfu(): void {
  sfuForGood = true;
  if (!session) {
    return;
  }
  outbox.moveTo(session);
  callStore.setState({ route: 'sfu', connection: sfuState });
  if (sfuState === 'failed') {
    reconnectMeeting(); // it failed while nothing went through it: a fresh one, with the socket
  }
  const old = direct;
  direct = null;
  clearDirectTimer();
  if (old !== null) {
    retireDirect();
    retiring = old;
    retireTimer = setTimeout(retireDirect, HANDOVER_MS);
  }
}

function retireDirect(): void {
  if (retireTimer !== null) {
    clearTimeout(retireTimer);
    retireTimer = null;
  }
  retiring?.close();
  retiring = null;
}

function endDirect(): void {
  clearDirectTimer();
  direct?.close();
  direct = null;
}

/** The other person of a direct call left: wait for the server's next advice. */
function directPeerLeft(userId: string): void {
  if (direct?.directPeer !== userId) {
    return;
  }
  endDirect();
  outbox.moveTo(null);
  callStore.setState({ route: 'waiting', connection: 'idle' });
}

/** The connections media comes in on now. */
function receiving(): MediaSession[] {
  return [session, direct, retiring].filter((s): s is MediaSession => s !== null);
}

/** The server's view of me decides what my tracks send: a host mute turns my mic off too. */
function applyMyFlags(): void {
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
  if (!me.screen && callStore.getState().screen) {
    void stopScreenShare(false);
  }
}

async function startSession(): Promise<void> {
  stopSession();
  needsStart = false;
  // Fetched when the page opened, so known by now unless the server is slow.
  const owner = myId();
  const iceServers = iceServerSource.known(owner);
  const current = createSession({
    iceServers: iceServers ?? [],
    signal: meetingRequest,
    onTrack: trackAdded,
    onTrackEnded: trackEnded,
    onState: sfuStateChanged,
    onError: (message) => {
      console.warn('Media negotiation:', message); // kept for diagnosing browser/SFU mismatches
      callStore.setState({ error: message });
    },
  });
  session = current;
  if (iceServers === null) {
    // Still on its way: given to the connection when it comes, normally before the first
    // offer (which waits for the join below); otherwise at the next ICE gathering.
    void iceServerSource.get(owner).then((servers) => {
      if (session === current && servers.length > 0) {
        current.setIceServers(servers);
      }
    });
  }
  speakerTimer = setInterval(() => void sampleSpeaker(), 1000);
  await meetingRequest({ type: 'join_room', data: { media: true } });
  if (session !== current) {
    return;
  }
  if (!advised) {
    useSfu(); // a server that gives no advice wants everything on the SFU
  }
  if (!canPublish()) {
    return;
  }
  // What the pre-join screen left on is what the others are told, then sent. After a
  // reconnect the server kept the flags; only a missing device turns one off.
  await whenDevicesSettled();
  if (session !== current) {
    return;
  }
  const me = selectMe(meetingStore.getState());
  const { audioTrack, videoTrack, stream } = mediaStore.getState();
  const choice = firstStart ? roomStore.getState() : null;
  firstStart = false;
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
    publish('audio', audioTrack, stream);
  }
  if (stream && videoTrack) {
    publish('video', videoTrack, stream);
  }
  qualityTimer = setInterval(() => void sampleStats(), 3000);
}

/** Levels of the received (decoded) audio from WebRTC stats, for the speaker view. */
async function sampleSpeaker(): Promise<void> {
  const sessions = receiving();
  if (sessions.length === 0) {
    return;
  }
  const muted = new Set(
    meetingStore
      .getState()
      .participants.filter((p) => p.muted)
      .map((p) => p.user_id),
  );
  const owners = new Map(
    sessions
      .flatMap((s) => s.remoteTracks())
      .filter((r) => r.kind === 'audio' && r.source === 'camera' && !muted.has(r.userId))
      .map((r) => [r.track.id, r.userId]),
  );
  const levels = new Map<string, number>();
  for (const stat of await allStats(sessions)) {
    const owner =
      stat.type === 'inbound-rtp' && typeof stat.trackIdentifier === 'string'
        ? owners.get(stat.trackIdentifier)
        : undefined;
    if (owner && typeof stat.audioLevel === 'number') {
      levels.set(owner, Math.max(levels.get(owner) ?? 0, stat.audioLevel));
    }
  }
  const current = callStore.getState().localSpeaker;
  const next = pickSpeaker(levels, current);
  if (next !== current) {
    callStore.setState({ localSpeaker: next });
  }
}

/** WebRTC stats of every connection media comes in on. */
async function allStats(sessions: MediaSession[]): Promise<Record<string, unknown>[]> {
  const reports = await Promise.all(sessions.map((s) => s.peer.getStats()));
  return reports.flatMap((report) => [...report.values()] as Record<string, unknown>[]);
}

async function sampleStats(): Promise<void> {
  const sessions = receiving();
  if (sessions.length === 0) {
    return;
  }
  const owners = new Map(
    sessions.flatMap((s) => s.remoteTracks()).map((r) => [r.track.id, r.userId]),
  );
  const stats = (await allStats(sessions)) as { type: string }[];
  callStore.setState({ quality: sampleQuality(stats, owners, lossCounters) });
}

function stopSession(): void {
  endDirect();
  retireDirect();
  session?.close();
  session = null;
  sfuState = 'new';
  advised = false;
  sfuForGood = false;
  outbox.clear();
  lossCounters = new Map();
  if (qualityTimer !== null) {
    clearInterval(qualityTimer);
    qualityTimer = null;
  }
  if (speakerTimer !== null) {
    clearInterval(speakerTimer);
    speakerTimer = null;
  }
  if (recoveryTimer !== null) {
    clearTimeout(recoveryTimer);
    recoveryTimer = null;
  }
  const screen = callStore.getState().screen;
  screen?.getTracks().forEach((t) => {
    t.stop();
  });
  callStore.setState({
    remotes: {},
    screen: null,
    quality: {},
    localSpeaker: null,
    connection: 'idle',
    route: 'waiting',
  });
}

function onEvent(event: ServerEvent): void {
  if (event.type === 'room_state' && needsStart) {
    void startSession().catch((error: unknown) => {
      callStore.setState({ error: error instanceof Error ? error.message : String(error) });
    });
    return;
  }
  if (event.type === 'media_mode') {
    if (session) {
      adviseRoute(event.data);
    }
    return;
  }
  if (event.type === 'participant_left') {
    directPeerLeft(event.data.user_id);
  }
  for (const target of receiving()) {
    target.handle(event);
  }
}

/** Starts media with the meeting's socket; returns the function that stops it. */
export function attachCall(): () => void {
  needsStart = true;
  firstStart = true;
  unreachable.clear();
  void iceServerSource.get(myId()); // usually ready before the room state arrives
  const stops = [
    onMeetingEvent(onEvent),
    onMeetingStatus((status) => {
      if (status.state !== 'open') {
        // The server dropped our media session with the socket; the next room_state restarts it.
        stopSession();
        needsStart = true;
      }
    }),
    meetingStore.subscribe((state, previous) => {
      const me = selectMe(state);
      const before = selectMe(previous);
      if (me !== before) {
        applyMyFlags();
      }
    }),
    onLocalTrack((kind, track) => {
      if (!outbox.replace(kind, track) && track && canPublish()) {
        const stream = mediaStore.getState().stream;
        if (stream) {
          applyMyFlags();
          publish(kind, track, stream);
        }
      }
      applyMyFlags();
    }),
    mediaStore.subscribe((state, previous) => {
      const sender = outbox.sender('video');
      const target = outbox.target;
      if (state.prefs.resolution !== previous.prefs.resolution && sender && target) {
        const { maxBitrate } = RESOLUTIONS[state.prefs.resolution];
        void target.setMaxBitrate(sender, maxBitrate).catch(() => undefined);
      }
    }),
  ];
  return () => {
    stops.forEach((stop) => {
      stop();
    });
    stopSession();
    callStore.setState(initialCallState(), true);
  };
}

/** Mute or unmute; unmuting starts the microphone if it was never on. */
export async function toggleMeetingMic(): Promise<void> {
  const me = selectMe(meetingStore.getState());
  const { audioTrack } = mediaStore.getState();
  if (me && !me.muted) {
    if (audioTrack) {
      audioTrack.enabled = false; // silent at once, before the server hears of it
    }
    await setMuted(true);
    return;
  }
  if (!audioTrack && !(await acquire('audio'))) {
    throw new Error(captureProblemText(mediaStore.getState().problems.audio ?? 'failed', 'audio'));
  }
  await setMuted(false);
}

export async function toggleMeetingCamera(): Promise<void> {
  const me = selectMe(meetingStore.getState());
  const { videoTrack } = mediaStore.getState();
  if (me?.video) {
    if (videoTrack) {
      videoTrack.enabled = false;
    }
    await setVideo(false);
    return;
  }
  if (!videoTrack && !(await acquire('video'))) {
    throw new Error(captureProblemText(mediaStore.getState().problems.video ?? 'failed', 'video'));
  }
  await setVideo(true);
}

let displayMediaOverride: (() => Promise<MediaStream>) | null = null;
/** Tests hand in a screen; null restores getDisplayMedia. */
export function useDisplayMedia(source: (() => Promise<MediaStream>) | null): void {
  displayMediaOverride = source;
}

export async function startScreenShare(): Promise<void> {
  if (!session || callStore.getState().screen) {
    return;
  }
  let screen: MediaStream;
  try {
    screen = await (displayMediaOverride
      ? displayMediaOverride()
      : navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false }));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') {
      return; // the person closed the picker: nothing to report
    }
    throw error;
  }
  const track = screen.getVideoTracks()[0];
  if (!track) {
    throw new Error('The browser gave no screen to share.');
  }
  try {
    await meetingRequest({ type: 'screen_share', data: { active: true, track_id: track.id } });
  } catch (error) {
    track.stop();
    throw error;
  }
  track.onended = () => void stopScreenShare();
  callStore.setState({ screen });
  publish('screen', track, screen);
}

/** Stops sharing; `tell` is false when the server already turned it off. */
export async function stopScreenShare(tell = true): Promise<void> {
  const screen = callStore.getState().screen;
  if (!screen) {
    return;
  }
  callStore.setState({ screen: null });
  screen.getTracks().forEach((t) => {
    t.stop();
  });
  await outbox.remove('screen');
  if (tell) {
    await meetingRequest({ type: 'screen_share', data: { active: false } });
  }
}

export function setVolume(userId: string, volume: number): void {
  const clamped = Math.min(1, Math.max(0, volume));
  callStore.setState((state) => ({ volumes: { ...state.volumes, [userId]: clamped } }));
}

export function toggleLocalMute(userId: string): void {
  callStore.setState((state) => ({
    localMuted: { ...state.localMuted, [userId]: !state.localMuted[userId] },
  }));
}
