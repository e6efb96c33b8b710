import { showToast } from '@/store';

/** Forms whose server endpoint is not deployed yet tell the user instead of failing silently. */
export function announceUnavailable(action: string): void {
  showToast({
    tone: 'info',
    title: `${action} is not available yet`,
    description: 'This server does not offer it at the moment. Please try again later.',
  });
}
