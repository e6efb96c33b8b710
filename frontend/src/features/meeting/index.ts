// The in-call screen: video stage, meeting controls and participant list.
export { ConnectionBanner } from './ConnectionBanner';
export { LayoutSwitcher, nextLayout } from './LayoutSwitcher';
export { MediaSettingsDialog } from './MediaSettingsDialog';
export { MeetingControls } from './MeetingControls';
export type { MeetingControlsProps, SidePanel } from './MeetingControls';
export { MeetingEnded } from './MeetingEnded';
export type { MeetingEnding } from './MeetingEnded';
export { MeetingHeader } from './MeetingHeader';
export { AloneCard } from './AloneCard';
export { elapsedText, overallQuality } from './meeting-clock';
export { orderParticipants, ParticipantPanel } from './ParticipantPanel';
export type { ParticipantPanelProps } from './ParticipantPanel';
export { ParticipantRow } from './ParticipantRow';
export type { ParticipantRowProps } from './ParticipantRow';
export { RemoteAudio } from './RemoteAudio';
export { SHORTCUTS, shortcutFor, useMeetingShortcuts } from './shortcuts';
export type { ShortcutAction } from './shortcuts';
export { ShortcutsDialog } from './ShortcutsDialog';
export { buildTiles, effectiveLayout, gridColumns, mainTile } from './tiles';
export type { Tile } from './tiles';
export { toggleFullscreen, VideoTile } from './VideoTile';
export { LONG_PRESS_MS, TileMenu } from './TileMenu';
export { VideoStage } from './VideoStage';
export { ConnectionBanners } from './ConnectionBanners';
export {
  endForAll,
  mutePerson,
  recordingRefusal,
  removePerson,
  toggleHand,
  toggleRecording,
  toggleMute,
  toggleShare,
  toggleVideo,
} from './meeting-actions';
export { mediaPresence, useMediaPresence } from './media-presence';
export { runShortcut } from './shortcut-actions';
export type { ShortcutContext } from './shortcut-actions';
export { SidePanelFrame } from './SidePanelFrame';
export type { SidePanelFrameProps } from './SidePanelFrame';
export { useMeetingSession, useStopMediaWhenOver } from './use-meeting-session';
export { useStage } from './use-stage';
export type { Stage } from './use-stage';
export { useUnread } from './use-unread';
export { MeetingTopBar } from './MeetingTopBar';
export type { MeetingTopBarProps } from './MeetingTopBar';
export { LobbyNotice, WaitingList, waitedFor } from './LobbyWaiting';
export type { LobbyAnswers, LobbyNoticeProps, WaitingListProps } from './LobbyWaiting';
export { useToastsBelow } from './use-toasts-below';
