// Peer connection and signaling client. Plain TypeScript: no Preact and no stores, so it can be
// tested on its own and driven by whichever feature owns a call.
export {};
