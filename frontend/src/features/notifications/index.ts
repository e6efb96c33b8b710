// The notification bell and list (meeting invites, reminders).
export {};
