import { describe, expect, it } from 'vitest';
import { alignHeaderExtensions, renameStreams } from './sdp';

const join = (...lines: string[]) => [...lines, ''].join('\r\n');

describe('alignHeaderExtensions', () => {
  it('gives a URI the id of its first section and frees ids taken by another URI', () => {
    const sdp = join(
      'v=0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 96',
      'a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid',
      'a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      'm=video 9 UDP/TLS/RTP/SAVPF 97',
      'a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid',
      'a=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
      'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
      'a=extmap:5/sendonly urn:example:one extra',
    );
    expect(alignHeaderExtensions(sdp)).toBe(
      join(
        'v=0',
        'm=audio 9 UDP/TLS/RTP/SAVPF 96',
        'a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid',
        'a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
        'm=video 9 UDP/TLS/RTP/SAVPF 97',
        'a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid',
        'a=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
        'a=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
        'a=extmap:4 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
        'a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid',
        'a=extmap:5/sendonly urn:example:one extra',
      ),
    );
  });

  it('leaves a consistent SDP alone and drops extensions once all ids are used', () => {
    const consistent = join(
      'm=audio 9 X 1',
      'a=extmap:1 urn:a',
      'm=video 9 X 2',
      'a=extmap:1 urn:a',
    );
    expect(alignHeaderExtensions(consistent)).toBe(consistent);
    const many = Array.from({ length: 15 }, (_, i) => `a=extmap:1 urn:x${i}`);
    const aligned = alignHeaderExtensions(join('m=audio 9 X 1', ...many));
    expect(aligned.split('\r\n').filter((l) => l.startsWith('a=extmap'))).toHaveLength(14);
  });
});

describe('renameStreams', () => {
  const names = new Map([
    ['{cam-1}', 'u-ayu'],
    ['scr-2', 'u-ayu:screen'],
  ]);
  const rename = (id: string) => names.get(id);

  it('renames streams in msid, ssrc msid and msid-semantic lines and nothing else', () => {
    const sdp = join(
      'v=0',
      'a=msid-semantic: WMS {cam-1} scr-2',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=msid:{cam-1} track-a',
      'a=ssrc:11 msid:{cam-1} track-a',
      'a=ssrc:11 cname:{cam-1}',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=msid:scr-2 track-s',
    );
    expect(renameStreams(sdp, rename)).toBe(
      join(
        'v=0',
        'a=msid-semantic: WMS u-ayu u-ayu:screen',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=msid:u-ayu track-a',
        'a=ssrc:11 msid:u-ayu track-a',
        'a=ssrc:11 cname:{cam-1}',
        'm=video 9 UDP/TLS/RTP/SAVPF 96',
        'a=msid:u-ayu:screen track-s',
      ),
    );
  });

  it('leaves streams it does not know (and a "-" stream) as they are', () => {
    const sdp = join('a=msid:- track-a', 'a=msid:other track-b', 'a=msid-semantic:WMS');
    expect(renameStreams(sdp, rename)).toBe(sdp);
  });
});
