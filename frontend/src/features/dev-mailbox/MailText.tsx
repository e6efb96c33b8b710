import { inAppHref, linkify } from '@/lib/linkify';

const LINK = 'font-medium break-all text-green-700 underline hover:text-green-800';

/**
 * A mail body as plain text with its links clickable. The text is never parsed as HTML:
 * every part becomes a text node or an anchor whose href is an http(s) URL.
 */
export function MailText({
  text,
  origin = window.location.origin,
}: {
  text: string;
  origin?: string;
}) {
  return (
    <div class="font-sans text-sm leading-relaxed break-words whitespace-pre-wrap text-gray-800">
      {linkify(text).map((part, index) => {
        if (part.kind === 'text') {
          return part.text;
        }
        const path = inAppHref(part.url, origin);
        return path ? (
          <a key={index} href={path} class={LINK}>
            {part.text}
          </a>
        ) : (
          <a key={index} href={part.url} class={LINK} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        );
      })}
    </div>
  );
}
