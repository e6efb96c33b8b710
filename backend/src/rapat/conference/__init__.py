"""Live media of rooms: who publishes what, who receives it, and what is paused.

Knows the SFU only through the seams in `rapat.sfu.interfaces` (`MediaPeer`, made by the
`PeerFactory` the composition root passes in, and the tracks it publishes and forwards);
knows nothing of WebRTC or WebSockets. The signaling layer feeds it client messages and
gives each member a `send`.
"""
