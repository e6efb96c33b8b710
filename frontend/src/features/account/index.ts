export { AvatarEditor } from './AvatarEditor';
export { AVATAR_TYPES, MAX_AVATAR_BYTES, avatarFileProblem } from './avatar-file';
export { EmailStatus } from './EmailStatus';
export { ProfileDetailsForm } from './ProfileDetailsForm';
export type { ProfileDetails } from './ProfileDetailsForm';
export { SessionList } from './SessionList';
export { SettingsForm } from './SettingsForm';
export { VerifyEmailNudge } from './VerifyEmailNudge';
