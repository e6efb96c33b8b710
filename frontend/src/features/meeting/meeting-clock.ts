import { useEffect, useState } from 'preact/hooks';
import type { Quality } from '@/rtc/connection-quality';

/** "4:05" or "1:02:09": the time since `since` (ms). */
export function elapsedText(since: number, now: number): string {
  const total = Math.max(0, Math.floor((now - since) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** Time since the component mounted (you joined), ticking each second. */
export function useElapsed(): string {
  const [since] = useState(() => Date.now());
  const [now, setNow] = useState(since);
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return elapsedText(since, now);
}

/** Your connection as a whole: the worst of what you receive from each person. */
export function overallQuality(perPerson: Record<string, Quality>): Quality | null {
  const values = Object.values(perPerson);
  if (values.length === 0) {
    return null;
  }
  if (values.includes('poor')) {
    return 'poor';
  }
  return values.includes('fair') ? 'fair' : 'good';
}
