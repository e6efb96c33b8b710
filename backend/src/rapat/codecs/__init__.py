"""The bitstreams the SFU forwards and the recorder writes, read without decoding: plain
Python on bytes, no third-party package and nothing else of Rapat, so both `rapat.sfu`
and `rapat.recording` import it from below.

Modules: `vp8` (the RTP payload descriptor, RFC 7741, and the keyframe header, RFC 6386),
`h264` (NAL units, STAP-A, Annex-B, RFC 6184), `h264_sps` (the picture size of a sequence
parameter set), then `picture_size` (the size a keyframe's first packet states, by codec)
and `keyframe_start` (whether a packet starts a keyframe, by codec).
"""
