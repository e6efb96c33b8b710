import { expect } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';

// Helpers for tests in which people meet: rooms, joining, and what the media does.

export async function accessTokenOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const kept = JSON.parse(localStorage.getItem('rapat.session') ?? '{}') as {
      state?: { accessToken?: string };
    };
    return kept.state?.accessToken ?? '';
  });
}

/** A room of `page`'s person, made through the API; returns its code. */
export async function createRoom(
  page: Page,
  request: APIRequestContext,
  room: { name: string; settings?: Record<string, unknown> },
): Promise<string> {
  const response = await request.post('/api/v1/rooms', {
    headers: { Authorization: `Bearer ${await accessTokenOf(page)}` },
    data: room,
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { code: string }).code;
}

// A fake camera takes a while to start when the machine is busy (a soak under a CPU hog
// once saw the preview at 11.7 s): every wait for it allows this long.
const CAMERA_START_MS = 15_000;

/** Waits for the pre-join screen's camera preview, and for its first frame if asked. */
export async function expectCameraPreview(page: Page, { playing = false } = {}) {
  const preview = page.getByLabel('Your camera preview');
  await expect(preview).toBeVisible({ timeout: CAMERA_START_MS });
  if (playing) {
    await expect
      .poll(() => preview.evaluate((v) => (v as HTMLVideoElement).videoWidth), {
        timeout: CAMERA_START_MS,
      })
      .toBeGreaterThan(0);
  }
}

/** Joins from the pre-join screen once the fake camera runs (earlier joins with it off). */
export async function join(page: Page, code: string) {
  await page.goto(`/r/${code}`);
  await expectCameraPreview(page);
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
}

/** Remote videos that play: frames decoded and time moving on. */
export async function playingRemoteVideos(page: Page, source: 'camera' | 'screen' = 'camera') {
  return page.evaluate(async (wanted) => {
    const videos = Array.from(
      document.querySelectorAll<HTMLElement>(`[data-testid="video-tile"][data-source="${wanted}"]`),
    )
      .filter((tile) => !tile.querySelector('figcaption')?.textContent.includes('(you)'))
      .map((tile) => tile.querySelector('video'))
      .filter((video): video is HTMLVideoElement => video !== null);
    const before = videos.map((video) => video.currentTime);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return videos.filter(
      (video, i) => video.videoWidth > 0 && video.currentTime > (before[i] ?? Infinity),
    ).length;
  }, source);
}

/** An init script: keeps every RTCPeerConnection the page creates reachable for its stats. */
export function trackPeerConnections() {
  const Native = window.RTCPeerConnection;
  const seen: RTCPeerConnection[] = [];
  (window as unknown as { rapatPeers: RTCPeerConnection[] }).rapatPeers = seen;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      seen.push(this);
    }
  };
}

/** One of the page's connections (trackPeerConnections) as its stats describe it. */
export interface ConnectionView {
  state: RTCPeerConnectionState;
  /** Inbound video bytes. */
  videoBytes: number;
  /** Ports of this side's ICE candidates, and the other side's port on the chosen pair. */
  localPorts: number[];
  remotePort: number | null;
  /** Round-trip times the other side's receiver reports gave for what this side sends. */
  sentRoundTrips: number[];
}

export async function connections(page: Page): Promise<ConnectionView[]> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { rapatPeers: RTCPeerConnection[] }).rapatPeers;
    return Promise.all(
      peers.map(async (peer) => {
        if (peer.signalingState === 'closed') {
          return {
            state: 'closed' as const,
            videoBytes: 0,
            localPorts: [],
            remotePort: null,
            sentRoundTrips: [],
          };
        }
        const stats: Record<string, unknown>[] = [];
        (await peer.getStats()).forEach((stat: Record<string, unknown>) => {
          stats.push(stat);
        });
        const byId = new Map(stats.map((stat) => [stat.id, stat]));
        const transport = stats.find((stat) => stat.type === 'transport');
        const pair = byId.get(transport?.selectedCandidatePairId);
        const remote = pair ? byId.get(pair.remoteCandidateId) : undefined;
        return {
          state: peer.connectionState,
          videoBytes: stats
            .filter((stat) => stat.type === 'inbound-rtp' && stat.kind === 'video')
            .reduce((sum, stat) => sum + Number(stat.bytesReceived ?? 0), 0),
          localPorts: stats
            .filter((stat) => stat.type === 'local-candidate')
            .map((stat) => Number(stat.port)),
          remotePort: typeof remote?.port === 'number' ? remote.port : null,
          sentRoundTrips: stats
            .filter((stat) => stat.type === 'remote-inbound-rtp')
            .map((stat) => stat.roundTripTime)
            .filter((time): time is number => typeof time === 'number'),
        };
      }),
    );
  });
}

/** Total inbound video bytes over the page's connections. */
export async function inboundVideoBytes(page: Page): Promise<number> {
  return (await connections(page)).reduce((sum, view) => sum + view.videoBytes, 0);
}

/** Prints the page's media warnings (negotiation errors, direct-call fallbacks) with the
 * person's name and the time since the page opened, so a failed media test shows them. */
export function reportMediaWarnings(page: Page, name: string) {
  const opened = Date.now();
  page.on('console', (message) => {
    if (message.type() === 'warning' && /media/i.test(message.text())) {
      console.warn(`[${name} +${Date.now() - opened} ms] ${message.text()}`);
    }
  });
}
