"""The selective forwarding unit: aiortc peers whose RTP is forwarded, never decoded.

Import ladder (downward only): sequence / packet_cache / keyframe_gate / bitrate / rtptime (pure)
→ rtp_header / report_timer / lean_estimator → hooks (the package that alone reaches into
aiortc's internals) → published_track / subscriber_track → network → peer. `interfaces` holds
the seams: the two track Protocols and what `conference/` needs of a peer. Nothing here
knows rooms, signaling or configuration; `conference/` decides who receives what.
"""
