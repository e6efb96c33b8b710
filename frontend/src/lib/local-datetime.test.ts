import { describe, expect, it } from 'vitest';
import {
  isoWithOffset,
  localInputsFor,
  localMoment,
  localTimeZoneName,
  suggestedStart,
} from './local-datetime';

describe('localMoment', () => {
  it('reads the inputs as local time', () => {
    const moment = localMoment({ date: '2026-12-01', time: '09:30' })!;
    expect([moment.getFullYear(), moment.getMonth(), moment.getDate()]).toEqual([2026, 11, 1]);
    expect([moment.getHours(), moment.getMinutes()]).toEqual([9, 30]);
  });

  it.each([
    ['', '09:00'],
    ['2026-12-01', ''],
    ['2026-02-31', '09:00'],
    ['2026-12-01', '25:00'],
    ['2026-12-01', '09:75'],
    ['1 Dec', '9am'],
  ])('refuses %j %j', (date, time) => {
    expect(localMoment({ date, time })).toBeNull();
  });
});

describe('isoWithOffset', () => {
  it('keeps the local wall time and states the offset', () => {
    const moment = localMoment({ date: '2026-12-01', time: '09:05' })!;
    const iso = isoWithOffset(moment);
    expect(iso).toMatch(/^2026-12-01T09:05:00[+-]\d{2}:\d{2}$/);
    expect(new Date(iso).getTime()).toBe(moment.getTime());
  });
});

describe('localInputsFor', () => {
  it('round-trips through the inputs', () => {
    const inputs = { date: '2027-03-04', time: '17:45' };
    expect(localInputsFor(isoWithOffset(localMoment(inputs)!))).toEqual(inputs);
  });

  it('gives empty inputs for garbage', () => {
    expect(localInputsFor('soon')).toEqual({ date: '', time: '' });
  });
});

describe('suggestedStart', () => {
  it('proposes the next full hour at least half an hour ahead', () => {
    const now = new Date(2026, 10, 24, 10, 40);
    expect(suggestedStart(now)).toEqual({ date: '2026-11-24', time: '12:00' });
    expect(suggestedStart(new Date(2026, 10, 24, 10, 30))).toEqual({
      date: '2026-11-24',
      time: '11:00',
    });
  });
});

describe('localTimeZoneName', () => {
  it('names a zone', () => {
    expect(localTimeZoneName()).not.toBe('');
  });
});
