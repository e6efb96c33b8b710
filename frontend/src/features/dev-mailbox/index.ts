export { DevMailbox } from './DevMailbox';
export { DEV_MAILBOX_PATH, DevMailboxHint, useDevMailboxStatus } from './DevMailboxHint';
export { MailText } from './MailText';
