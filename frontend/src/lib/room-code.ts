// Meeting codes look like "abc-defg-hij": ten letters in groups of 3, 4 and 3. People type
// them with or without dashes, in any case, or paste a whole meeting link.
const GROUPS = [3, 4, 3] as const;
const CODE_LENGTH = GROUPS.reduce((sum, size) => sum + size, 0);
const LETTERS_ONLY = /^[a-z]+$/;
const LINK_CODE = /\/r\/([^/?#\s]+)/;

export const ROOM_CODE_EXAMPLE = 'abc-defg-hij';

/** The meeting code in a code or meeting link, normalised to "abc-defg-hij", or null. */
export function parseRoomCode(input: string): string | null {
  let candidate = input.trim();
  const linkMatch = LINK_CODE.exec(candidate);
  if (linkMatch?.[1]) {
    candidate = safeDecode(linkMatch[1]);
  }
  // Dashes and spaces only separate the groups; read out loud, people put them anywhere.
  const letters = candidate.toLowerCase().replace(/[\s-]+/g, '');
  if (letters.length !== CODE_LENGTH || !LETTERS_ONLY.test(letters)) {
    return null;
  }
  return groupLetters(letters);
}

function groupLetters(letters: string): string {
  const parts: string[] = [];
  let start = 0;
  for (const size of GROUPS) {
    parts.push(letters.slice(start, start + size));
    start += size;
  }
  return parts.join('-');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function meetingPath(code: string): string {
  return `/r/${encodeURIComponent(code)}`;
}
