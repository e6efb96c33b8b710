/** The path of `url` when it points into this site, else null (links the server sends are
 * absolute, made from its public address). */
export function sameSitePath(url: string, origin: string = window.location.origin): string | null {
  try {
    const parsed = new URL(url, origin);
    return parsed.origin === origin ? `${parsed.pathname}${parsed.search}` : null;
  } catch {
    return null;
  }
}
