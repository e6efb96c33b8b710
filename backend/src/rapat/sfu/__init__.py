"""The selective forwarding unit: aiortc peers whose RTP is forwarded, never decoded.

Import ladder (downward only): sequence / packet_cache / keyframes (pure) → aiortc_hooks (every
reach into aiortc internals) → uptrack / downtrack → network → peer. Nothing here knows rooms,
signaling or configuration files; `conference/` decides who receives what.
"""
