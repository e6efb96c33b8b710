// The in-call screen: video grid, meeting controls and participant list.
export { MeetingPlaceholder } from './MeetingPlaceholder';
export type { MeetingPlaceholderProps } from './MeetingPlaceholder';
