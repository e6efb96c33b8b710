"""Recording of published tracks as they arrive, without decoding: RTP packets are put back
in order, reassembled into encoded frames and muxed into WebM/Matroska, one file per track
segment with a JSON sidecar. Media-level only: it knows nothing of rooms, people or settings.

Modules, lowest first: `wraparound` (extended sequence numbers and timestamps), `frames`
(the frame and depacketizer types), `reorder_buffer`, the depacketizers `vp8`, `h264` and
`opus`, `media_codecs` (which depacketizer and container for a codec), `frame_assembler`,
`rtp_clock`, `matroska_writer`, `sidecar`, then `track_recorder` (`TrackRecorder`).

Finished recordings are kept behind `store` (`RecordingStore`): `local_store` (a directory)
and `s3_store` (S3-compatible storage); `download_name` makes a download's
`Content-Disposition`.
"""
