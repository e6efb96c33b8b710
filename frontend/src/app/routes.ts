export const paths = {
  dashboard: '/',
  login: '/login',
  register: '/register',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  verifyEmail: '/verify-email',
  meeting: '/r/:code',
  newRoom: '/rooms/new',
  room: '/rooms/:id',
  profile: '/profile',
  sessions: '/sessions',
  contacts: '/contacts',
  recordings: '/recordings',
  recording: '/recordings/:id',
  settings: '/settings',
  devMailbox: '/dev/mailbox',
} as const;

/** Pages the backend serves itself; links to them must bypass the client router. */
export const serverPaths = {
  apiDocs: '/docs',
} as const;
