export const paths = {
  dashboard: '/',
  login: '/login',
  register: '/register',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  meeting: '/r/:code',
  profile: '/profile',
  contacts: '/contacts',
  settings: '/settings',
} as const;

/** Pages the backend serves itself; links to them must bypass the client router. */
export const serverPaths = {
  apiDocs: '/docs',
} as const;
