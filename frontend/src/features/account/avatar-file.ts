/** What the server accepts for a profile photo (docs/api.md): PNG, JPEG or WebP, ≤ 2 MiB. */
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

export function avatarFileProblem(file: Pick<File, 'type' | 'size'>): string | null {
  if (!(AVATAR_TYPES as readonly string[]).includes(file.type)) {
    return 'Choose a PNG, JPEG or WebP image.';
  }
  if (file.size > MAX_AVATAR_BYTES) {
    return 'Choose an image of at most 2 MB.';
  }
  return null;
}
