import { useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import { Badge, Button, CheckCircleIcon } from '@/ui';

export interface EmailStatusProps {
  email: string;
  verified: boolean;
  onResend: () => Promise<unknown>;
}

/** The account's email, whether it is confirmed, and a new link when it is not. */
export function EmailStatus({ email, verified, onResend }: EmailStatusProps) {
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function resend() {
    setSending(true);
    try {
      await onResend();
      setResult({ ok: true, text: `We sent a new link to ${email}.` });
    } catch (error) {
      setResult({ ok: false, text: errorMessage(error) });
    } finally {
      setSending(false);
    }
  }

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
          <Button variant="secondary" size="sm" loading={sending} onClick={() => void resend()}>
            Resend verification email
          </Button>
        </div>
      )}
      {result && !verified && (
        <p
          role={result.ok ? 'status' : 'alert'}
          class={result.ok ? 'text-sm text-green-800' : 'text-sm text-error-600'}
        >
          {result.text}
        </p>
      )}
      <p class="text-sm text-gray-500">Contact an administrator to change your email.</p>
    </div>
  );
}
