import { useState } from 'preact/hooks';
import type { MailboxMessage } from '@/api';
import { errorMessage, isApiError } from '@/api';
import { cn } from '@/lib/cn';
import { loginPathFor } from '@/lib/safe-next';
import { dateTime, relativeTime } from '@/lib/time';
import { useResource } from '@/lib/use-resource';
import { api } from '@/store';
import {
  Alert,
  ArrowLeftIcon,
  Button,
  Card,
  EmptyState,
  MailIcon,
  RefreshIcon,
  Spinner,
} from '@/ui';
import { DEV_MAILBOX_PATH } from './DevMailboxHint';
import { MailText } from './MailText';

function newestFirst(mails: readonly MailboxMessage[]): MailboxMessage[] {
  return [...mails].sort((a, b) => b.created_at.localeCompare(a.created_at));
}

function MailList({
  mails,
  openId,
  onOpen,
}: {
  mails: readonly MailboxMessage[];
  openId: string | null;
  onOpen: (id: string) => void;
}) {
  return (
    <ul aria-label="Mails" class="-mx-2 flex flex-col gap-1">
      {mails.map((mail) => (
        <li key={mail.id}>
          <button
            type="button"
            aria-current={mail.id === openId ? 'true' : undefined}
            onClick={() => {
              onOpen(mail.id);
            }}
            class={cn(
              'w-full rounded-xl px-3 py-2.5 text-left transition-colors',
              mail.id === openId ? 'bg-green-100' : 'hover:bg-gray-100',
            )}
          >
            <span class="flex items-baseline justify-between gap-3">
              <span class="truncate text-sm font-medium text-gray-900">{mail.subject}</span>
              <time dateTime={mail.created_at} class="shrink-0 text-xs text-gray-500">
                {relativeTime(mail.created_at)}
              </time>
            </span>
            <span class="block truncate text-sm text-gray-600">To {mail.to}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function MailReader({ mail, onBack }: { mail: MailboxMessage; onBack: () => void }) {
  return (
    <article aria-labelledby="mail-subject">
      <Button
        variant="ghost"
        size="sm"
        icon={<ArrowLeftIcon class="size-4" />}
        onClick={onBack}
        class="-ml-3 mb-3 lg:hidden"
      >
        All mail
      </Button>
      <h2 id="mail-subject" class="text-lg font-semibold text-gray-900">
        {mail.subject}
      </h2>
      <dl class="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
        <dt class="text-gray-500">To</dt>
        <dd class="break-all text-gray-800">{mail.to}</dd>
        <dt class="text-gray-500">Sent</dt>
        <dd class="text-gray-800">{dateTime(mail.created_at)}</dd>
      </dl>
      <div class="mt-4 border-t border-gray-100 pt-4">
        <MailText text={mail.text} />
      </div>
    </article>
  );
}

/** Mail the server kept instead of sending (development and test servers only). */
export function DevMailbox() {
  const mailbox = useResource(async () => newestFirst(await api.dev.mailbox()));
  const [openId, setOpenId] = useState<string | null>(null);

  if (mailbox.state === 'loading') {
    return (
      <p role="status" class="flex items-center gap-2 text-sm text-gray-600">
        <Spinner /> Loading mail…
      </p>
    );
  }
  if (mailbox.state === 'failed') {
    if (isApiError(mailbox.error) && mailbox.error.status === 401) {
      // Outside a server for one person, each person reads only the mail sent to them.
      return (
        <Alert tone="info" title="Sign in to read your mail">
          This mailbox shows each person the mail sent to them.{' '}
          <a
            href={loginPathFor(DEV_MAILBOX_PATH)}
            class="font-medium text-green-700 underline underline-offset-2"
          >
            Sign in
          </a>
        </Alert>
      );
    }
    const off = isApiError(mailbox.error) && mailbox.error.status === 404;
    return (
      <Alert
        tone={off ? 'info' : 'error'}
        title={off ? 'No development mailbox here' : 'Could not load the mailbox'}
      >
        {off
          ? 'This server sends real mail, so there is nothing to show.'
          : errorMessage(mailbox.error)}
      </Alert>
    );
  }
  const open = mailbox.data.find((mail) => mail.id === openId) ?? null;
  const refresh = (
    <Button
      variant="secondary"
      size="sm"
      icon={<RefreshIcon class="size-4" />}
      onClick={() => void mailbox.reload()}
    >
      Refresh
    </Button>
  );
  return (
    <div class="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] lg:items-start">
      <Card
        title={`Inbox (${mailbox.data.length})`}
        actions={refresh}
        class={cn(open && 'hidden lg:block')}
      >
        {mailbox.data.length === 0 ? (
          <EmptyState
            icon={<MailIcon />}
            title="No mail yet"
            description="Mail sent by the server, such as verification links, appears here."
          />
        ) : (
          <MailList mails={mailbox.data} openId={openId} onOpen={setOpenId} />
        )}
      </Card>
      <Card class={cn('lg:sticky lg:top-24', !open && 'hidden lg:block')}>
        {open ? (
          <MailReader
            mail={open}
            onBack={() => {
              setOpenId(null);
            }}
          />
        ) : (
          <p class="py-8 text-center text-sm text-gray-600">Choose a mail to read it.</p>
        )}
      </Card>
    </div>
  );
}
