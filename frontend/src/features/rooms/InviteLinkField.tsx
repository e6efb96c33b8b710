import { useRef } from 'preact/hooks';
import { copyText } from '@/lib/clipboard';
import { Button, Input, LinkIcon } from '@/ui';
import { announceCopied, selectAll } from './CopyLinkButton';

/** The invite link in full, with a copy button; if copying fails the link is selected. */
export function InviteLinkField({ link }: { link: string }) {
  const fieldRef = useRef<HTMLDivElement>(null);

  async function copy() {
    if (await copyText(link)) {
      announceCopied();
      return;
    }
    const input = fieldRef.current?.querySelector('input');
    input?.focus();
    input?.select();
  }

  return (
    <div ref={fieldRef}>
      <div class="flex flex-col gap-2 sm:flex-row sm:items-end">
        <Input
          class="min-w-0 flex-1"
          label="Invite link"
          value={link}
          readOnly
          onFocus={selectAll}
        />
        <Button
          variant="secondary"
          size="lg"
          icon={<LinkIcon class="size-4" />}
          onClick={() => void copy()}
        >
          Copy link
        </Button>
      </div>
      <p class="mt-2 text-sm text-gray-500">
        Anyone signed in can open it; a room password still applies.
      </p>
    </div>
  );
}
