// The meeting's media: one MediaSession to the SFU over the meeting socket, the local tracks
// published on it, what is received, per-person volume, and connection quality.
import { createStore } from 'zustand/vanilla';
import type { ServerEvent } from '@/api';
import { rtcEndpoints } from '@/api';
import type { Quality } from '@/rtc/connection-quality';
import { pickSpeaker } from '@/rtc/active-speaker';
import { sampleQuality } from '@/rtc/connection-quality';
import type { LossCounters } from '@/rtc/connection-quality';
import { IceServerSource } from '@/rtc/ice-servers';
import { captureProblemText, RESOLUTIONS } from '@/rtc/media-constraints';
import type { MediaConnectionState, RemoteTrack } from '@/rtc/peer-connection';
import { MediaSession } from '@/rtc/peer-connection';
import type { TrackKind } from './media';
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
import { roomStore } from './room-store';
import { api, userStore } from './user';

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

let session: MediaSession | null = null;
let senders: Partial<Record<TrackKind | 'screen', RTCRtpSender>> = {};
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

function trackAdded(remote: RemoteTrack): void {
  callStore.setState((state) => ({
    remotes: { ...state.remotes, [remote.stream.id]: streamEntry(remote) },
  }));
}

function trackEnded(remote: RemoteTrack): void {
  callStore.setState((state) => {
    const id = remote.stream.id;
    const left = remote.stream.getTracks().filter((t) => t !== remote.track);
    const remotes = Object.fromEntries(Object.entries(state.remotes).filter(([key]) => key !== id));
    if (left.length > 0 && session !== null) {
      remotes[remote.stream.id] = {
        ...streamEntry(remote),
        hasAudio: left.some((t) => t.kind === 'audio'),
        hasVideo: left.some((t) => t.kind === 'video'),
      };
    }
    return { remotes };
  });
}

function connectionChanged(state: MediaConnectionState): void {
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

function publish(kind: TrackKind | 'screen', track: MediaStreamTrack, stream: MediaStream): void {
  if (!session) {
    return;
  }
  const sender = session.publish(track, stream);
  senders[kind] = sender;
  if (kind === 'video') {
    const { maxBitrate } = RESOLUTIONS[mediaStore.getState().prefs.resolution];
    void session.setMaxBitrate(sender, maxBitrate).catch(() => undefined);
  }
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
    onState: connectionChanged,
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
  if (session !== current || !canPublish()) {
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
  if (!session) {
    return;
  }
  const muted = new Set(
    meetingStore
      .getState()
      .participants.filter((p) => p.muted)
      .map((p) => p.user_id),
  );
  const owners = new Map(
    session
      .remoteTracks()
      .filter((r) => r.kind === 'audio' && r.source === 'camera' && !muted.has(r.userId))
      .map((r) => [r.track.id, r.userId]),
  );
  const levels = new Map<string, number>();
  const report = await session.peer.getStats();
  for (const stat of report.values() as Iterable<Record<string, unknown>>) {
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

async function sampleStats(): Promise<void> {
  if (!session) {
    return;
  }
  const owners = new Map(session.remoteTracks().map((r) => [r.track.id, r.userId]));
  const report = await session.peer.getStats();
  const stats = [...report.values()] as { type: string }[];
  callStore.setState({ quality: sampleQuality(stats, owners, lossCounters) });
}

function stopSession(): void {
  session?.close();
  session = null;
  senders = {};
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
  });
}

function onEvent(event: ServerEvent): void {
  if (event.type === 'room_state' && needsStart) {
    void startSession().catch((error: unknown) => {
      callStore.setState({ error: error instanceof Error ? error.message : String(error) });
    });
    return;
  }
  session?.handle(event);
}

/** Starts media with the meeting's socket; returns the function that stops it. */
export function attachCall(): () => void {
  needsStart = true;
  firstStart = true;
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
      const sender = senders[kind];
      if (sender) {
        void sender.replaceTrack(track).catch(() => undefined);
      } else if (track && canPublish()) {
        const stream = mediaStore.getState().stream;
        if (stream) {
          applyMyFlags();
          publish(kind, track, stream);
        }
      }
      applyMyFlags();
    }),
    mediaStore.subscribe((state, previous) => {
      const sender = senders.video;
      if (state.prefs.resolution !== previous.prefs.resolution && sender && session) {
        const { maxBitrate } = RESOLUTIONS[state.prefs.resolution];
        void session.setMaxBitrate(sender, maxBitrate).catch(() => undefined);
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
  const sender = senders.screen;
  delete senders.screen;
  if (sender && session) {
    await session.unpublish(sender);
  }
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
