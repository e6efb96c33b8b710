export { DevMailbox } from './DevMailbox';
export { MailText } from './MailText';
