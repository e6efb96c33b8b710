import { useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import { Button } from '@/ui';

export interface ResendVerificationProps {
  email: string;
  onResend: () => Promise<unknown>;
}

/** "Resend verification email", and how it went, said where the button is. */
export function ResendVerification({ email, onResend }: ResendVerificationProps) {
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
    <div class="flex flex-col items-start gap-2">
      <Button variant="secondary" size="sm" loading={sending} onClick={() => void resend()}>
        Resend verification email
      </Button>
      {result && (
        <p
          role={result.ok ? 'status' : 'alert'}
          class={result.ok ? 'text-sm text-green-800' : 'text-sm text-error-600'}
        >
          {result.text}
        </p>
      )}
    </div>
  );
}
