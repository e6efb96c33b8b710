import type { ComponentChildren } from 'preact';
import { MailIcon } from '@/ui';
import { ResendVerification } from './ResendVerification';

export interface VerifyEmailNudgeProps {
  email: string;
  onResend: () => Promise<unknown>;
  /** More to say, e.g. where a development server keeps the mail. */
  children?: ComponentChildren;
}

/** A reminder, until the address is confirmed, with a new link at hand. */
export function VerifyEmailNudge({ email, onResend, children }: VerifyEmailNudgeProps) {
  return (
    <section
      aria-labelledby="verify-email-nudge"
      class="flex flex-col gap-3 rounded-2xl border border-warning-500/40 bg-warning-500/10 p-4 sm:flex-row sm:items-start"
    >
      <span class="flex size-10 shrink-0 items-center justify-center rounded-full bg-white text-gray-800">
        <MailIcon class="size-5" />
      </span>
      <div class="flex min-w-0 flex-1 flex-col gap-3">
        <div>
          <h2 id="verify-email-nudge" class="font-semibold text-gray-900">
            Confirm your email address
          </h2>
          <p class="mt-0.5 text-sm text-gray-700">
            Open the link we sent to <strong class="font-medium break-all">{email}</strong>, so
            invitations and password resets reach you.
          </p>
        </div>
        {children}
        <ResendVerification email={email} onResend={onResend} />
      </div>
    </section>
  );
}
