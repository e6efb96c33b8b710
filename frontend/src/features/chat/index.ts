// In-meeting chat: message list and composer.
export { ChatPanel } from './ChatPanel';
export type { ChatPanelLine, ChatPanelProps } from './ChatPanel';
export { ChatText } from './ChatText';
