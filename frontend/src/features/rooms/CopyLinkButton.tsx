import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { copyText } from '@/lib/clipboard';
import { showToast } from '@/store';
import type { ButtonSize, ButtonVariant } from '@/ui';
import { Button, Input, LinkIcon, Modal } from '@/ui';

export interface CopyLinkButtonProps {
  link: string;
  /** Names the room for screen readers, e.g. "Copy invite link for Weekly sync". */
  roomName: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  class?: string;
}

export function announceCopied(): void {
  showToast({
    tone: 'success',
    title: 'Copied',
    description: 'The invite link is ready to paste.',
  });
}

export function selectAll(event: TargetedEvent<HTMLInputElement>): void {
  event.currentTarget.select();
}

/** Copies the invite link; where the browser refuses, shows it selected to copy by hand. */
export function CopyLinkButton({
  link,
  roomName,
  variant = 'secondary',
  size = 'sm',
  class: className,
}: CopyLinkButtonProps) {
  const [showLink, setShowLink] = useState(false);

  async function copy() {
    if (await copyText(link)) {
      announceCopied();
    } else {
      setShowLink(true);
    }
  }

  return (
    <>
      <Button
        variant={variant}
        size={size}
        icon={<LinkIcon class="size-4" />}
        aria-label={`Copy invite link for ${roomName}`}
        class={className}
        onClick={() => void copy()}
      >
        Copy link
      </Button>
      <Modal
        open={showLink}
        title="Copy the invite link"
        description="Your browser did not let Rapat copy it. The link is selected: copy it with Ctrl+C (⌘C on a Mac)."
        onClose={() => {
          setShowLink(false);
        }}
      >
        <SelectedLink link={link} />
      </Modal>
    </>
  );
}

/** The link, focused and selected once the dialog has placed its own focus. */
function SelectedLink({ link }: { link: string }) {
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      const input = wrapper.current?.querySelector('input');
      input?.focus();
      input?.select();
    }, 0);
    return () => {
      clearTimeout(timer);
    };
  }, []);
  return (
    <div ref={wrapper}>
      <Input label="Invite link" value={link} readOnly onFocus={selectAll} onClick={selectAll} />
    </div>
  );
}
