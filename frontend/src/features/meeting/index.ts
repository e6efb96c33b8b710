// The in-call screen: video grid, meeting controls and participant list.
export { ConnectionBanner } from './ConnectionBanner';
export { MeetingControls } from './MeetingControls';
export type { MeetingControlsProps } from './MeetingControls';
export { MeetingEnded } from './MeetingEnded';
export type { MeetingEnding } from './MeetingEnded';
export { MeetingHeader } from './MeetingHeader';
export { orderParticipants, ParticipantPanel } from './ParticipantPanel';
export type { ParticipantPanelProps } from './ParticipantPanel';
export { ParticipantRow } from './ParticipantRow';
export type { ParticipantRowProps } from './ParticipantRow';
