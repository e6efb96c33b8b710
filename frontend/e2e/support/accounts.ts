import { expect } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';

export const PASSWORD = 'green tea at four';

/** The key and shape the user store keeps the session under (src/store/user.ts). */
const SESSION_STORAGE_KEY = 'rapat.session';

export interface Person {
  email: string;
  firstName: string;
  lastName: string;
}

let counter = 0;

/** A person nobody registered yet, even across parallel workers and repeated runs. */
export function newPerson(firstName: string, lastName: string): Person {
  counter += 1;
  const tag = `${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
  return { email: `${firstName.toLowerCase()}.${tag}@example.com`, firstName, lastName };
}

export async function registerViaApi(request: APIRequestContext, person: Person) {
  const response = await request.post('/api/v1/auth/register', {
    data: {
      email: person.email,
      password: PASSWORD,
      first_name: person.firstName,
      last_name: person.lastName,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
}

interface KeptMail {
  to: string;
  subject: string;
  text: string;
}

/** The link in the newest mail to `email` whose path is `path`. */
export async function linkFromMailbox(request: APIRequestContext, email: string, path: string) {
  const pattern = new RegExp(`https?://\\S+${path}\\?token=[\\w-]+`);
  let link: string | undefined;
  await expect
    .poll(async () => {
      const mails = (await (await request.get('/api/v1/dev/mailbox')).json()) as KeptMail[];
      link = mails
        .find((mail) => mail.to === email && pattern.test(mail.text))
        ?.text.match(pattern)?.[0];
      return link;
    })
    .toBeTruthy();
  return link ?? '';
}

export async function verifyViaApi(request: APIRequestContext, email: string) {
  const link = await linkFromMailbox(request, email, '/verify-email');
  const token = new URL(link).searchParams.get('token');
  const response = await request.post('/api/v1/auth/verify-email', { data: { token } });
  expect(response.status()).toBe(200);
}

/**
 * Lets anyone find `person` in the people search (the `discoverable` setting, off by
 * default): search finds only such people and the searcher's own contacts.
 */
export async function makeDiscoverable(request: APIRequestContext, person: Person) {
  const login = await request.post('/api/v1/auth/login', {
    data: { email: person.email, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const response = await request.put('/api/v1/users/settings', {
    data: { settings: { discoverable: true } },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** A verified account, signed in in `page` without going through the form. */
export async function signedInPerson(page: Page, request: APIRequestContext, person: Person) {
  await registerViaApi(request, person);
  await verifyViaApi(request, person.email);
  const response = await request.post('/api/v1/auth/login', {
    data: { email: person.email, password: PASSWORD },
  });
  expect(response.status()).toBe(200);
  const tokens = (await response.json()) as {
    access_token: string;
    refresh_token: string;
    user: unknown;
  };
  await page.goto('/login');
  await page.evaluate(
    ([key, value]) => {
      localStorage.setItem(key, value);
    },
    [
      SESSION_STORAGE_KEY,
      JSON.stringify({
        state: {
          user: tokens.user,
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
        },
        version: 1,
      }),
    ] as const,
  );
}
