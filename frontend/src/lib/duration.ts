/** "< 1 min", "31 min", "1 h 05 min", "2 h": how long someone was in a meeting. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '';
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) {
    return '< 1 min';
  }
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, '0')} min`;
}

/** A planned length in minutes, in the same words. */
export function formatMinutes(minutes: number): string {
  return formatDuration(minutes * 60);
}
