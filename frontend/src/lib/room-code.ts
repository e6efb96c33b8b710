// Room codes look like "abc-defg-hij"; people paste either the code or a whole meeting link.
const CODE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_LENGTH = 64;

/** The room code inside a code or meeting link, lower-cased, or null when there is none. */
export function parseRoomCode(input: string): string | null {
  let candidate = input.trim();
  const linkMatch = /\/r\/([^/?#\s]+)/.exec(candidate);
  if (linkMatch?.[1]) {
    candidate = linkMatch[1];
  }
  candidate = candidate.toLowerCase();
  if (candidate.length < 3 || candidate.length > MAX_LENGTH) {
    return null;
  }
  return CODE_PATTERN.test(candidate) ? candidate : null;
}

export function meetingPath(code: string): string {
  return `/r/${encodeURIComponent(code)}`;
}
