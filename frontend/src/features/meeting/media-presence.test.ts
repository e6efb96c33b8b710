import { describe, expect, it } from 'vitest';
import { aLiveParticipant } from '@/test/meeting';
import { mediaPresence } from './media-presence';

const ayu = aLiveParticipant();
const budi = aLiveParticipant({ user_id: 'u-budi', role: 'participant' });
const citra = aLiveParticipant({
  user_id: 'u-citra',
  role: 'participant',
  muted: true,
  video: false,
});
const dewi = aLiveParticipant({ user_id: 'u-dewi', role: 'observer' });
const people = [ayu, budi, citra, dewi];
const remote = {
  userId: 'u-budi',
  source: 'camera' as const,
  stream: {} as MediaStream,
  hasAudio: true,
  hasVideo: true,
};

describe('mediaPresence', () => {
  it('counts me present while my connection is up, or while there is nobody to send to', () => {
    const calling = { route: 'sfu' as const, remotes: {} };
    expect(mediaPresence([ayu], 'u-ayu', { ...calling, connection: 'connected' })['u-ayu']).toBe(
      true,
    );
    expect(mediaPresence([ayu], 'u-ayu', { ...calling, connection: 'connecting' })['u-ayu']).toBe(
      false,
    );
    expect(
      mediaPresence([ayu], 'u-ayu', { route: 'waiting', remotes: {}, connection: 'idle' })['u-ayu'],
    ).toBe(true);
  });

  it('counts others present once their media arrives, or when they send nothing', () => {
    const call = { route: 'sfu' as const, connection: 'connected' as const };
    expect(mediaPresence(people, 'u-ayu', { ...call, remotes: {} })).toEqual({
      'u-ayu': true,
      'u-budi': false,
      'u-citra': true, // microphone and camera off
      'u-dewi': true, // an observer
    });
    expect(
      mediaPresence(people, 'u-ayu', { ...call, remotes: { 'u-budi': remote } })['u-budi'],
    ).toBe(true);
  });
});
