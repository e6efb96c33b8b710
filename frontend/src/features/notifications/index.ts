// The notification bell and list (meeting invites, reminders, contacts, meetings ended).
export { NotificationBell, notificationTarget } from './NotificationBell';
export { InviteContacts } from './InviteContacts';
export { NotificationList } from './NotificationList';
export { useUserChannel } from './use-user-channel';
