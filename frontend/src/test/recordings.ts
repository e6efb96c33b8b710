import type { Recording } from '@/api';

export function aRecording(overrides: Partial<Recording> = {}): Recording {
  return {
    id: 'rec-1',
    room: { id: 'room-1', name: 'Weekly sync', code: 'abc-defg-hij' },
    status: 'ready',
    progress: 100,
    error: null,
    started_by: 'u-hana',
    started_at: '2026-12-01T09:00:00Z',
    stopped_at: '2026-12-01T09:42:05Z',
    stop_reason: 'requested',
    duration_ms: 2_525_000,
    size_bytes: 143_200_000,
    container: 'mp4',
    participants: [
      { user_id: 'u-hana', display_name: 'Hana Wijaya' },
      { user_id: 'u-ayu', display_name: 'Ayu Lestari' },
    ],
    can_manage: true,
    download_url: '/api/v1/recordings/rec-1/file',
    ...overrides,
  };
}

export function recordingPage(items: Recording[], total = items.length, offset = 0) {
  return { items, total, limit: 20, offset };
}
