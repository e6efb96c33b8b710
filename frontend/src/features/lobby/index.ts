export { JoinForm } from './JoinForm';
export type { JoinFormProps } from './JoinForm';
export { MeetingUnavailable } from './MeetingUnavailable';
export type { MeetingUnavailableProps } from './MeetingUnavailable';
export { PreJoinPanel } from './PreJoinPanel';
export type { PreJoinPanelProps } from './PreJoinPanel';
export { MeetingLeft } from './MeetingLeft';
export type { MeetingLeftProps } from './MeetingLeft';
