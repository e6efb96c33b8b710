/**
 * The in-app path to return to after signing in, from a `?next=` value. Anything that could
 * leave the app (another origin, `//host`, `javascript:`) falls back to `fallback`.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return fallback;
  }
  return next;
}

/** `/login?next=…` for coming back to `path` once signed in. */
export function loginPathFor(path: string): string {
  return path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}
