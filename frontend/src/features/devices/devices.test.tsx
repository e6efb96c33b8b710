import { act, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mediaStore, PREFS_KEY, resetMediaStore } from '@/store/media';
import { FakeTrack } from '@/test/media';
import { DeviceSettings } from './DeviceSettings';
import { LevelMeter } from './LevelMeter';
import { useAudioLevel } from './use-audio-level';

/** An AudioContext whose analyser hands out one fixed waveform. */
class FakeAudioContext {
  static amplitude = 0;
  closed = false;
  createMediaStreamSource() {
    return { connect: vi.fn(), disconnect: vi.fn() };
  }
  createAnalyser() {
    return {
      fftSize: 0,
      getByteTimeDomainData(samples: Uint8Array) {
        samples.forEach((_, i) => {
          samples[i] =
            128 + (i % 2 === 0 ? FakeAudioContext.amplitude : -FakeAudioContext.amplitude);
        });
      },
    };
  }
  close() {
    this.closed = true;
    return Promise.resolve();
  }
}

function Meter({ track }: { track: MediaStreamTrack | null }) {
  return <LevelMeter level={useAudioLevel(track)} />;
}

beforeEach(() => {
  localStorage.removeItem(PREFS_KEY);
  resetMediaStore();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('microphone level', () => {
  it('follows the loudness of an enabled track and reads 0 when it is off', async () => {
    vi.stubGlobal('AudioContext', FakeAudioContext);
    vi.useFakeTimers();
    FakeAudioContext.amplitude = 16; // RMS 0.125, shown ×4
    const track = new FakeTrack('audio') as unknown as MediaStreamTrack;
    render(<Meter track={track} />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(50);
    });
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
    track.enabled = false;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(50);
    });
    expect(screen.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
  });
});

describe('DeviceSettings', () => {
  it('switches audio processing and the speaker, and remembers them', () => {
    mediaStore.setState({
      devices: [{ deviceId: 'spk-2', kind: 'audiooutput', label: 'Headphones' }],
    });
    Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', {
      value: () => Promise.resolve(),
      configurable: true,
    });
    render(<DeviceSettings />);
    fireEvent.click(screen.getByRole('switch', { name: 'Noise suppression' }));
    expect(mediaStore.getState().prefs.audio.noiseSuppression).toBe(false);
    const speaker = screen.getByLabelText<HTMLSelectElement>('Speaker');
    expect(speaker).toHaveValue('spk-2');
    expect(JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}')).toMatchObject({
      audio: { noiseSuppression: false },
    });
  });

  it("says when the room's limit lowers the chosen quality", async () => {
    mediaStore.setState((state) => ({ prefs: { ...state.prefs, resolution: '1080p' } }));
    render(<DeviceSettings />);
    expect(screen.queryByText(/This meeting allows cameras up to/)).toBeNull();
    await act(() => {
      mediaStore.setState({ videoCap: '360p' });
    });
    expect(
      screen.getByText('This meeting allows cameras up to 360p: yours is sent at that.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('option', { name: 'HD (720p), sent as 360p here' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Video quality')).toHaveValue('1080p');
  });
});
