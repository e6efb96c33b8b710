import { linkify } from '@/lib/linkify';

/**
 * A chat line exactly as typed: text nodes only, never HTML. http(s) links become anchors
 * that open in a new tab without handing this page to the other site.
 */
export function ChatText({ text }: { text: string }) {
  return (
    <p class="text-sm break-words whitespace-pre-wrap text-gray-800">
      {linkify(text).map((part, index) =>
        part.kind === 'text' ? (
          part.text
        ) : (
          <a
            key={index}
            href={part.url}
            target="_blank"
            rel="noopener noreferrer"
            class="font-medium break-all text-green-700 underline hover:text-green-800"
          >
            {part.text}
          </a>
        ),
      )}
    </p>
  );
}
