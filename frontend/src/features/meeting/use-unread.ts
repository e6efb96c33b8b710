import { useRef } from 'preact/hooks';
import { meetingStore, useStore } from '@/store';

/** Chat lines from others that arrived while the chat was closed. */
export function useUnread(panelOpen: boolean): number {
  const chat = useStore(meetingStore, (state) => state.chat);
  const me = useStore(meetingStore, (state) => state.me);
  const history = useStore(meetingStore, (state) => state.chatHistory);
  // Lines from before joining (the history), and those there while the chat is open, are read.
  const seen = useRef<ReadonlySet<string>>(new Set());
  const historyRead = useRef(false);
  const historyDone = history === 'loaded' || history === 'failed';
  if (panelOpen || (historyDone && !historyRead.current)) {
    seen.current = new Set([...seen.current, ...chat.map((line) => line.id)]);
    historyRead.current = historyDone;
  }
  const read = seen.current;
  return panelOpen || !historyDone
    ? 0
    : chat.filter((line) => !read.has(line.id) && line.authorId !== me).length;
}
