import { Badge, CheckCircleIcon } from '@/ui';
import { ResendVerification } from './ResendVerification';

export interface EmailStatusProps {
  email: string;
  verified: boolean;
  onResend: () => Promise<unknown>;
}

/** The account's email, whether it is confirmed, and a new link when it is not. */
export function EmailStatus({ email, verified, onResend }: EmailStatusProps) {
  return (
    <div class="flex flex-col gap-3">
      <div class="flex flex-wrap items-center gap-2">
        <span class="min-w-0 font-medium break-all text-gray-900">{email}</span>
        {verified ? (
          <Badge tone="success">
            <CheckCircleIcon class="size-3.5" /> Verified
          </Badge>
        ) : (
          <Badge tone="warning">Not verified</Badge>
        )}
      </div>
      {!verified && (
        <div class="flex flex-col items-start gap-2">
          <p class="text-sm text-gray-600">
            Confirm your address with the link we emailed you, so invitations and password resets
            reach you.
          </p>
          <ResendVerification email={email} onResend={onResend} />
        </div>
      )}
      <p class="text-sm text-gray-500">Contact an administrator to change your email.</p>
    </div>
  );
}
