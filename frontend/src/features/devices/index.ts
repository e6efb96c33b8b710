// Camera, microphone and speaker selection and the local preview.
export { CaptureProblemNotice } from './CaptureProblemNotice';
export { canPickSpeaker, DeviceSettings } from './DeviceSettings';
export { LevelMeter } from './LevelMeter';
export { StreamVideo } from './StreamVideo';
export type { StreamVideoProps } from './StreamVideo';
export { useAudioLevel } from './use-audio-level';
