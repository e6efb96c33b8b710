import { describe, expect, it } from 'vitest';
import { meetingPath, parseRoomCode } from './room-code';

describe('parseRoomCode', () => {
  it.each([
    ['abc-defg-hij', 'abc-defg-hij'],
    ['  ABC-defg-HIJ ', 'abc-defg-hij'],
    ['abcdefghij', 'abc-defg-hij'],
    ['ABCDEFGHIJ', 'abc-defg-hij'],
    ['abc defg hij', 'abc-defg-hij'],
    ['https://meet.example.id/r/abc-defg-hij?x=1', 'abc-defg-hij'],
    ['http://127.0.0.1:8765/r/ABCDEFGHIJ#top', 'abc-defg-hij'],
    ['/r/abc-defg-hij', 'abc-defg-hij'],
    ['Join: https://meet.example.id/r/abc-defg-hij thanks', 'abc-defg-hij'],
  ])('reads %j as %s', (input, code) => {
    expect(parseRoomCode(input)).toBe(code);
  });

  it.each([
    '',
    'abc',
    'abc-defg-hi',
    'abc-defg-hijk',
    'abcdefghijk',
    'abc-d3fg-hij',
    'abc_defg_hij',
    'team-sync',
    'https://meet.example.id/rooms/abc-defg-hij',
    'https://meet.example.id/r/%E0%A4%A',
  ])('refuses %j', (input) => {
    expect(parseRoomCode(input)).toBeNull();
  });
});

describe('meetingPath', () => {
  it('builds the meeting URL for a code', () => {
    expect(meetingPath('abc-defg-hij')).toBe('/r/abc-defg-hij');
  });
});
