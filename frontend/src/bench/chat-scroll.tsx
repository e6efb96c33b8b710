// The chat with 1,000 lines, alone on a page, for bench/frontend_budgets.mjs: it scrolls
// the list from the newest line to the oldest, one step per frame, and reports the frame
// times the browser gave (requestAnimationFrame) and its long tasks (PerformanceObserver).
import { render } from 'preact';
import '@/styles/index.css';
import type { ChatPanelLine } from '@/features/chat';
import { ChatPanel } from '@/features/chat';

const LINES = 1000;
const WORDS = 'rapat hari ini membahas anggaran desain jadwal rilis dan catatan'.split(' ');

function line(n: number): ChatPanelLine {
  const length = 4 + (n % 17);
  const text = Array.from({ length }, (_, i) => WORDS[(n + i) % WORDS.length] ?? '').join(' ');
  return {
    id: `m${n}`,
    authorId: n % 3 === 0 ? 'me' : `u${n % 7}`,
    authorName: `Person ${n % 7}`,
    text: n % 50 === 0 ? `${text} https://example.id/doc/${n}` : text,
    createdAt: new Date(Date.UTC(2026, 11, 7, 9, 0, n)).toISOString(),
    pending: false,
    failed: null,
  };
}

export interface ScrollResult {
  lines: number;
  frames: number;
  durationMs: number;
  fps: number;
  p95FrameMs: number;
  worstFrameMs: number;
  longTasks: number;
  longTaskMs: number;
  listNodes: number;
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

/** Scrolls the whole list in `frames` steps, one per animation frame. */
async function scrollThrough(frames: number): Promise<ScrollResult> {
  const list = document.querySelector<HTMLElement>('[role="log"]');
  if (!list) {
    throw new Error('no chat list');
  }
  const long: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((entries) => {
    long.push(...entries.getEntries());
  });
  observer.observe({ type: 'longtask', buffered: false });
  list.scrollTop = list.scrollHeight;
  const step = list.scrollHeight / frames;
  const stamps: number[] = [];
  await new Promise<void>((resolve) => {
    const tick = (now: number) => {
      stamps.push(now);
      list.scrollTop -= step;
      if (stamps.length > frames) {
        resolve();
      } else {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  });
  observer.disconnect();
  const gaps = stamps.slice(1).map((stamp, i) => stamp - (stamps[i] ?? stamp));
  const durationMs = (stamps.at(-1) ?? 0) - (stamps[0] ?? 0);
  return {
    lines: LINES,
    frames: gaps.length,
    durationMs: Math.round(durationMs),
    fps: Math.round((gaps.length / durationMs) * 1000 * 10) / 10,
    p95FrameMs: Math.round(percentile(gaps, 0.95) * 10) / 10,
    worstFrameMs: Math.round(Math.max(...gaps) * 10) / 10,
    longTasks: long.length,
    longTaskMs: Math.round(long.reduce((sum, entry) => sum + entry.duration, 0)),
    listNodes: list.querySelectorAll('*').length,
  };
}

const root = document.getElementById('root');
if (root) {
  render(
    <div style={{ height: '700px', width: '380px', display: 'flex' }}>
      <ChatPanel
        class="min-h-0 flex-1"
        lines={Array.from({ length: LINES }, (_, n) => line(n))}
        me="me"
        history="loaded"
        canSend
        onSend={() => undefined}
      />
    </div>,
    root,
  );
}
(window as unknown as { scrollBench: typeof scrollThrough }).scrollBench = scrollThrough;
