import { describe, expect, it } from 'vitest';
import { aRecording } from '@/test/recordings';
import { clockDuration, errorWords, fileSize, peopleSummary, stopWords } from './recording-text';

describe('recording words', () => {
  it.each([
    [null, ''],
    [-5, ''],
    [0, '0:00'],
    [42_400, '0:42'],
    [725_000, '12:05'],
    [3_723_000, '1:02:03'],
  ])('clockDuration(%s) is "%s"', (ms, text) => {
    expect(clockDuration(ms)).toBe(text);
  });

  it.each([
    [null, ''],
    [512, '512 B'],
    [820_000, '820 KB'],
    [14_300_000, '14 MB'],
    [1_200_000_000, '1.2 GB'],
    [9_990_000, '10.0 MB'],
  ])('fileSize(%s) is "%s"', (bytes, text) => {
    expect(fileSize(bytes)).toBe(text);
  });

  it('names up to two people and counts the rest', () => {
    const person = (name: string) => ({ user_id: name, display_name: name });
    expect(peopleSummary([])).toBe('');
    expect(peopleSummary([person('Ayu')])).toBe('Ayu');
    expect(peopleSummary([person('Ayu'), person(' ')])).toBe('Ayu and Someone');
    expect(peopleSummary(['Ayu', 'Budi', 'Citra'].map(person))).toBe('Ayu, Budi and 1 other');
    expect(peopleSummary(['Ayu', 'Budi', 'Citra', 'Dewi'].map(person))).toBe(
      'Ayu, Budi and 2 others',
    );
  });

  it('says why a recording failed in plain words, details left out', () => {
    expect(errorWords('recording_storage_full')).toBe('The server ran out of storage space.');
    expect(errorWords('recording_files_unreadable: EOF in cluster 3')).toBe(
      'The recorded media could not be read.',
    );
    expect(errorWords('ffmpeg exited with 1: Invalid data found')).toBe(
      'Something went wrong while making the video.',
    );
    expect(errorWords(null)).toBe('Something went wrong while making the video.');
  });

  it('says why capture stopped when nobody asked', () => {
    expect(stopWords(aRecording({ stop_reason: 'requested' }))).toBeNull();
    expect(stopWords(aRecording({ stop_reason: 'room_empty' }))).toBe(
      'Stopped when everyone had left.',
    );
    expect(stopWords(aRecording({ stop_reason: 'failed', error: 'recording_storage_full' }))).toBe(
      'Stopped early. The server ran out of storage space.',
    );
  });
});
