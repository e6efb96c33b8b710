"""Live media of rooms: who publishes what, who receives it, and what is paused.

Knows the SFU only through `rapat.sfu.peer.SfuPeer` and its tracks; knows nothing of
WebSockets. The signaling layer feeds it client messages and gives each member a `send`.
"""
