// Fill and text pairs from the palette; each passes WCAG AA for the initials drawn on it.
export const AVATAR_TONES = [
  'bg-green-700 text-white',
  'bg-green-100 text-green-800',
  'bg-gray-700 text-white',
  'bg-green-200 text-green-900',
  'bg-green-900 text-green-100',
  'bg-gray-200 text-gray-800',
] as const;

/** The same name always gets the same tone, so people are recognisable across screens. */
export function avatarTone(name: string): (typeof AVATAR_TONES)[number] {
  let hash = 0;
  for (const char of name.trim().toLowerCase()) {
    hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  }
  return AVATAR_TONES[hash % AVATAR_TONES.length] ?? AVATAR_TONES[0];
}
