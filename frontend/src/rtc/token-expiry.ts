/**
 * When an access token (a JWT) expires, in milliseconds since the epoch, read from its `exp`
 * claim without checking the signature (the server does that). Null when it cannot be read.
 */
export function tokenExpiresAt(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) {
    return null;
  }
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')));
    if (typeof claims === 'object' && claims !== null && 'exp' in claims) {
      const { exp } = claims;
      return typeof exp === 'number' ? exp * 1000 : null;
    }
    return null;
  } catch {
    return null;
  }
}
