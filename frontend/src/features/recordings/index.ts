// Recordings: the list (all of mine, or one room's), its items, the in-page player.
export { RecordingList } from './RecordingList';
export type { RecordingListProps } from './RecordingList';
export { RecordingItem } from './RecordingItem';
export type { RecordingItemProps } from './RecordingItem';
export { RecordingPlayer } from './RecordingPlayer';
export { ComposeProgress, RecordingStatus } from './RecordingStatus';
export { clockDuration, errorWords, fileSize, peopleSummary, stopWords } from './recording-text';
