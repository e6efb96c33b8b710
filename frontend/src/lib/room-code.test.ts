import { describe, expect, it } from 'vitest';
import { meetingPath, parseRoomCode } from './room-code';

describe('parseRoomCode', () => {
  it('accepts a plain code and lower-cases it', () => {
    expect(parseRoomCode('  ABC-defg-HIJ ')).toBe('abc-defg-hij');
  });

  it('takes the code out of a meeting link', () => {
    expect(parseRoomCode('https://meet.example.id/r/abc-defg-hij?x=1')).toBe('abc-defg-hij');
    expect(parseRoomCode('/r/team-sync')).toBe('team-sync');
  });

  it.each(['', 'ab', 'has space', 'double--dash', '-lead', 'trail-', 'a/b', 'x'.repeat(65)])(
    'refuses %j',
    (input) => {
      expect(parseRoomCode(input)).toBeNull();
    },
  );
});

describe('meetingPath', () => {
  it('builds the meeting URL for a code', () => {
    expect(meetingPath('abc-defg-hij')).toBe('/r/abc-defg-hij');
  });
});
