export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/g;
// Punctuation that ends a sentence rather than the link: "see https://x.id/a."
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

/**
 * Splits plain text into text and http(s) links, for showing mail bodies as text with
 * clickable links. Nothing here is ever treated as HTML.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    const start = match.index;
    if (start > last) {
      parts.push({ kind: 'text', text: text.slice(last, start) });
    }
    parts.push({ kind: 'link', text: url, url });
    last = start + url.length;
  }
  if (last < text.length) {
    parts.push({ kind: 'text', text: text.slice(last) });
  }
  return parts;
}

/** A link into this app becomes a path, so the router opens it without reloading. */
export function inAppHref(url: string, origin: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.origin === origin ? `${parsed.pathname}${parsed.search}${parsed.hash}` : null;
  } catch {
    return null;
  }
}
