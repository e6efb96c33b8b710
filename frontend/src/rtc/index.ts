// Peer connection and signaling client. Plain TypeScript: no Preact and no stores, so it can be
// tested on its own and driven by whichever feature owns a call.
export { backoffDelay, DEFAULT_BACKOFF } from './backoff';
export type { BackoffOptions } from './backoff';
export { SignalingClient, SignalingError, systemClock } from './signaling-client';
export type {
  Clock,
  ClosedReason,
  SignalingClientOptions,
  SignalingStatus,
  SocketFactory,
  SocketLike,
} from './signaling-client';
export { signalingUrl, signalingUrlAt } from './signaling-url';
export type { SignalingParams } from './signaling-url';
export { tokenExpiresAt } from './token-expiry';
