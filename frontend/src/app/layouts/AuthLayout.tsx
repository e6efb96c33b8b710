import type { ComponentChildren } from 'preact';
import { CheckCircleIcon, Logo } from '@/ui';

const SELLING_POINTS = [
  'Video, audio and screen sharing in the browser',
  'Runs on your own servers: your meetings stay yours',
  'Chat and scheduling built in',
];

export interface AuthLayoutProps {
  title: string;
  subtitle?: ComponentChildren;
  children: ComponentChildren;
  /** Below the card, e.g. "No account? Create one". */
  footer?: ComponentChildren;
}

/** Sign-in style pages: a brand panel on wide screens and one focused form. */
export function AuthLayout({ title, subtitle, children, footer }: AuthLayoutProps) {
  return (
    <div class="grid min-h-dvh lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
      <aside class="relative hidden overflow-hidden bg-green-800 p-12 text-white lg:flex lg:flex-col lg:justify-between">
        <div
          class="absolute -top-24 -right-24 size-96 rounded-full bg-green-700/60"
          aria-hidden="true"
        />
        <div
          class="absolute -bottom-32 -left-20 size-80 rounded-full bg-green-900/60"
          aria-hidden="true"
        />
        <a href="/" class="relative self-start" aria-label="Rapat home">
          <Logo inverted />
        </a>
        <div class="relative max-w-md">
          <h2 class="text-3xl leading-tight font-semibold">
            Meet face to face, wherever your team is.
          </h2>
          <ul class="mt-8 flex flex-col gap-4">
            {SELLING_POINTS.map((point) => (
              <li key={point} class="flex items-start gap-3 text-green-50">
                <CheckCircleIcon class="mt-0.5 size-5 shrink-0 text-green-300" />
                {point}
              </li>
            ))}
          </ul>
        </div>
        <p class="relative text-sm text-green-100">Self-hosted video meetings.</p>
      </aside>
      <main class="flex flex-col items-center justify-center bg-gray-50 px-4 py-10 sm:px-6">
        <a href="/" class="mb-8 lg:hidden" aria-label="Rapat home">
          <Logo />
        </a>
        <div class="w-full max-w-md">
          <div class="rounded-2xl border border-gray-200 bg-white p-6 shadow-sm sm:p-8">
            <h1 class="text-2xl font-semibold tracking-tight text-gray-900">{title}</h1>
            {subtitle && <p class="mt-1.5 text-sm text-gray-600">{subtitle}</p>}
            <div class="mt-6">{children}</div>
          </div>
          {footer && <p class="mt-6 text-center text-sm text-gray-600">{footer}</p>}
        </div>
      </main>
    </div>
  );
}
