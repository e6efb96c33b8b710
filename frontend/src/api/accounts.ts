import type { ApiClient } from './client';
import type {
  BodyOf,
  Contact,
  Credentials,
  MailboxMessage,
  MailboxStatus,
  Notice,
  PasswordChange,
  ProfileChanges,
  QueryOf,
  Registration,
  Session,
  Tokens,
  User,
  UserReply,
  UserSearchPage,
  UserSettingsReply,
} from './schema';

const ANONYMOUS = { anonymous: true } as const;

/** `/auth/*`: signing up, in and out, email verification, password reset and sessions. */
export function authEndpoints(client: ApiClient) {
  return {
    register: (registration: Registration) =>
      client.post<UserReply>('/auth/register', registration, ANONYMOUS),
    login: (credentials: Credentials) => client.post<Tokens>('/auth/login', credentials, ANONYMOUS),
    refresh: (refreshToken: string) =>
      client.post<Tokens>('/auth/refresh', { refresh_token: refreshToken }, ANONYMOUS),
    logout: (refreshToken?: string) =>
      client.post<undefined>(
        '/auth/logout',
        refreshToken === undefined ? undefined : { refresh_token: refreshToken },
      ),
    verifyEmail: (token: string) =>
      client.post<UserReply>('/auth/verify-email', { token }, ANONYMOUS),
    resendVerification: () => client.post<Notice>('/auth/resend-verification'),
    forgotPassword: (email: string) =>
      client.post<Notice>('/auth/forgot-password', { email }, ANONYMOUS),
    resetPassword: (token: string, password: string) =>
      client.post<Notice>('/auth/reset-password', { token, password }, ANONYMOUS),
    sessions: () => client.get<Session[]>('/auth/sessions'),
    revokeSession: (sessionId: string) =>
      client.delete<undefined>(`/auth/sessions/${encodeURIComponent(sessionId)}`),
  };
}

export type UserSearch = QueryOf<'/users/search'> & { signal?: AbortSignal };

/** `/users/*`: the caller's profile, password, contacts, people search and settings. */
export function userEndpoints(client: ApiClient) {
  return {
    profile: () => client.get<User>('/users/profile'),
    updateProfile: (changes: ProfileChanges) => client.put<User>('/users/profile', changes),
    uploadAvatar: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return client.put<User>('/users/profile/avatar', form);
    },
    removeAvatar: () => client.delete<User>('/users/profile/avatar'),
    changePassword: (change: PasswordChange) => client.put<undefined>('/users/password', change),
    contacts: () => client.get<Contact[]>('/users/contacts'),
    addContact: (userId: string) => client.post<Contact>('/users/contacts', { user_id: userId }),
    removeContact: (userId: string) =>
      client.delete<undefined>(`/users/contacts/${encodeURIComponent(userId)}`),
    search: ({ q, limit, offset, signal }: UserSearch) =>
      client.get<UserSearchPage>('/users/search', {
        query: { q, limit, offset },
        ...(signal ? { signal } : {}),
      }),
    settings: () => client.get<UserSettingsReply>('/users/settings'),
    updateSettings: (settings: BodyOf<'/users/settings', 'put'>['settings']) =>
      client.put<UserSettingsReply>('/users/settings', { settings }),
  };
}

/** `/dev/*`: development helpers that production servers do not have. */
export function devEndpoints(client: ApiClient) {
  return {
    /** The signed-in person's mail (anyone's, on a server for one person). */
    mailbox: () => client.get<MailboxMessage[]>('/dev/mailbox'),
    /** 404 when the server sends real mail (or runs in production). */
    mailboxStatus: () => client.get<MailboxStatus>('/dev/mailbox/status', ANONYMOUS),
  };
}

export type AuthEndpoints = ReturnType<typeof authEndpoints>;
export type UserEndpoints = ReturnType<typeof userEndpoints>;
export type DevEndpoints = ReturnType<typeof devEndpoints>;

export interface RapatApi {
  client: ApiClient;
  auth: AuthEndpoints;
  users: UserEndpoints;
  dev: DevEndpoints;
}

export function rapatApi(client: ApiClient): RapatApi {
  return {
    client,
    auth: authEndpoints(client),
    users: userEndpoints(client),
    dev: devEndpoints(client),
  };
}
