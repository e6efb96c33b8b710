import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { playingRemoteVideos } from './meeting';

// What a page's remote videos and inbound video streams look like, for a failed wait on
// playing video: a black tile is told apart as "no packets", "packets but no keyframe",
// "frames decoded but the element does not play" or "no transceiver at all".

export interface VideoElementView {
  tile: string;
  source: string | null;
  readyState: number;
  paused: boolean;
  videoWidth: number;
  currentTime: number;
  tracks: { id: string; kind: string; muted: boolean; readyState: string; enabled: boolean }[];
}

export interface InboundVideoView {
  peer: number;
  trackIdentifier: unknown;
  mid: unknown;
  packetsReceived: unknown;
  packetsLost: unknown;
  framesReceived: unknown;
  framesDecoded: unknown;
  framesDropped: unknown;
  keyFramesDecoded: unknown;
  pliCount: unknown;
  firCount: unknown;
  nackCount: unknown;
  frameWidth: unknown;
}

export interface MediaDiagnostics {
  at: string;
  route: string | null;
  videos: VideoElementView[];
  peers: {
    peer: number;
    connectionState: string;
    signalingState: string;
    transceivers: {
      mid: string | null;
      direction: string;
      current: string | null;
      track: string;
    }[];
  }[];
  inbound: InboundVideoView[];
}

/** The page's remote <video> elements and, where trackPeerConnections is installed, the
 * inbound video stats and transceivers of each of its connections. */
export async function mediaDiagnostics(page: Page): Promise<MediaDiagnostics> {
  return page.evaluate(async () => {
    const videos = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="video-tile"]'))
      .filter((tile) => !tile.querySelector('figcaption')?.textContent.includes('(you)'))
      .map((tile) => {
        const video = tile.querySelector('video');
        const stream = video?.srcObject instanceof MediaStream ? video.srcObject : null;
        return {
          tile: tile.querySelector('figcaption')?.textContent ?? '',
          source: tile.getAttribute('data-source'),
          readyState: video?.readyState ?? -1,
          paused: video?.paused ?? true,
          videoWidth: video?.videoWidth ?? 0,
          currentTime: video?.currentTime ?? 0,
          tracks: (stream?.getTracks() ?? []).map((track) => ({
            id: track.id,
            kind: track.kind,
            muted: track.muted,
            readyState: track.readyState,
            enabled: track.enabled,
          })),
        };
      });
    const peers = (window as unknown as { rapatPeers?: RTCPeerConnection[] }).rapatPeers ?? [];
    const inbound: InboundVideoView[] = [];
    const peerViews = [];
    for (const [index, peer] of peers.entries()) {
      peerViews.push({
        peer: index,
        connectionState: peer.connectionState,
        signalingState: peer.signalingState,
        transceivers:
          peer.signalingState === 'closed'
            ? []
            : peer.getTransceivers().map((transceiver) => ({
                mid: transceiver.mid,
                direction: transceiver.direction,
                current: transceiver.currentDirection,
                track: `${transceiver.receiver.track.kind}:${transceiver.receiver.track.id}`,
              })),
      });
      if (peer.signalingState === 'closed') {
        continue;
      }
      (await peer.getStats()).forEach((stat: Record<string, unknown>) => {
        if (stat.type === 'inbound-rtp' && stat.kind === 'video') {
          inbound.push({
            peer: index,
            trackIdentifier: stat.trackIdentifier,
            mid: stat.mid,
            packetsReceived: stat.packetsReceived,
            packetsLost: stat.packetsLost,
            framesReceived: stat.framesReceived,
            framesDecoded: stat.framesDecoded,
            framesDropped: stat.framesDropped,
            keyFramesDecoded: stat.keyFramesDecoded,
            pliCount: stat.pliCount,
            firCount: stat.firCount,
            nackCount: stat.nackCount,
            frameWidth: stat.frameWidth,
          });
        }
      });
    }
    return {
      at: new Date().toISOString(),
      route: document.querySelector('[data-media-route]')?.getAttribute('data-media-route') ?? null,
      videos,
      peers: peerViews,
      inbound,
    };
  });
}

/** Waits until `page` plays `count` remote videos; if it never does, the page's media
 * diagnostics are attached to the test report (and printed) before the failure. */
export async function expectPlayingVideos(
  page: Page,
  count: number,
  options: { name: string; source?: 'camera' | 'screen'; timeout?: number },
) {
  try {
    await expect
      .poll(() => playingRemoteVideos(page, options.source), { timeout: options.timeout ?? 30_000 })
      .toBe(count);
  } catch (error) {
    const dump = JSON.stringify(await mediaDiagnostics(page).catch(String), null, 2);
    await test.info().attach(`media-diagnostics-${options.name}`, {
      body: dump,
      contentType: 'application/json',
    });
    console.warn(`[${options.name}] media diagnostics after the failed wait:\n${dump}`);
    throw error;
  }
}
