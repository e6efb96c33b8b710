"""Live meetings, in one place that signaling and (through room events) the REST API
both use: who is in a meeting and their media flags (`live_state`), what each may do
(`permissions`), admission, chat storage and removal (`meeting`), and the live media of
rooms on this node (`registry`, `media_room`, `speaker`).

Knows the SFU only through the seams in `rapat.sfu.interfaces` (`MediaPeer`, made by the
`PeerFactory` the composition root passes in, and the tracks it publishes and forwards);
knows nothing of WebRTC or WebSockets: signaling feeds it client messages and gives each
member a `send`.
"""
