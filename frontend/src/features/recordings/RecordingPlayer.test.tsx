import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetRecordingsStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aRecording, recordingPage } from '@/test/recordings';
import { resetSession, signInAs } from '@/test/session';
import { RecordingList } from './RecordingList';
import { RecordingPlayer } from './RecordingPlayer';

const link = (token: string) => ({
  url: `/api/v1/recordings/rec-1/file?token=${token}`,
  expires_at: '2026-12-01T10:05:00Z',
});

/** Answers the link route with t1, t2, … so each request is told apart. */
function linkServer() {
  let issued = 0;
  return fakeApi({ 'GET /recordings/rec-1/link': () => json(200, link(`t${++issued}`)) });
}

async function theVideo() {
  const dialog = await screen.findByRole('dialog', { name: 'Weekly sync' });
  return (await within(dialog).findByText(/cannot play this video/)).closest('video')!;
}

beforeEach(() => {
  resetRecordingsStore();
  resetSession();
  signInAs();
});

describe('RecordingPlayer', () => {
  it('plays from a fresh link with the browser controls, focused for the keyboard', async () => {
    linkServer();
    render(<RecordingPlayer recording={aRecording()} onClose={vi.fn()} />);
    const video = await theVideo();
    expect(video).toHaveAttribute('src', link('t1').url);
    expect(video).toHaveAttribute('controls');
    await waitFor(() => {
      expect(video).toHaveFocus();
    });
  });

  it('asks for a new link once when the video fails, and resumes where it was', async () => {
    const server = linkServer();
    render(<RecordingPlayer recording={aRecording()} onClose={vi.fn()} />);
    const first = await theVideo();
    Object.defineProperty(first, 'currentTime', { value: 95, writable: true });
    fireEvent.error(first);
    const second = await screen.findByText(/cannot play this video/, {
      selector: `video[src$="t2"]`,
    });
    expect(server.called('GET /recordings/rec-1/link')).toHaveLength(2);
    fireEvent.loadedMetadata(second);
    expect((second as HTMLVideoElement).currentTime).toBe(95);

    fireEvent.error(second);
    expect(await screen.findByText('Could not play the recording')).toBeInTheDocument();
    expect(server.called('GET /recordings/rec-1/link')).toHaveLength(2);
  });

  it('says why when there is no link', async () => {
    fakeApi({
      'GET /recordings/rec-1/link': apiError(409, 'recording_not_ready', 'Not ready yet.'),
    });
    render(<RecordingPlayer recording={aRecording()} onClose={vi.fn()} />);
    expect(await screen.findByText('Not ready yet.')).toBeInTheDocument();
  });

  it('opens from the list, asks for a new link each time and closes with Escape', async () => {
    const server = linkServer();
    server.on('GET /recordings', json(200, recordingPage([aRecording()])));
    render(<RecordingList scope={{ kind: 'mine' }} label="Recordings" empty={null} />);
    const play = await screen.findByRole('button', { name: /^Play Weekly sync/ });
    play.focus();
    fireEvent.click(play);
    await theVideo();
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(play).toHaveFocus();
    fireEvent.click(play);
    expect((await theVideo()).getAttribute('src')).toBe(link('t2').url);
  });
});
