import { Alert } from '@/ui';

/** The server's reason for refusing a form when it concerns no single field. */
export function FormError({ message }: { message: string | null }) {
  return message ? <Alert tone="error">{message}</Alert> : null;
}
