export { PreJoinPanel } from './PreJoinPanel';
export type { PreJoinPanelProps } from './PreJoinPanel';
