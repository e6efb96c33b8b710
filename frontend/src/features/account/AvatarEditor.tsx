import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '@/api';
import { Avatar, Button, CameraIcon, TrashIcon } from '@/ui';
import { AVATAR_TYPES, avatarFileProblem } from './avatar-file';

export interface AvatarEditorProps {
  name: string;
  avatarUrl: string | null;
  onUpload: (file: File) => Promise<unknown>;
  onRemove: () => Promise<unknown>;
}

/** Choose a photo, see it in place, then save it, or remove the current one. */
export function AvatarEditor({ name, avatarUrl, onUpload, onRemove }: AvatarEditorProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<{ file: File; preview: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<'upload' | 'remove' | null>(null);

  useEffect(
    () => () => {
      if (chosen) URL.revokeObjectURL(chosen.preview);
    },
    [chosen],
  );

  function choose(event: TargetedEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    input.value = '';
    if (!file) {
      return;
    }
    const fileProblem = avatarFileProblem(file);
    setProblem(fileProblem);
    setChosen(fileProblem ? null : { file, preview: URL.createObjectURL(file) });
  }

  async function run(action: 'upload' | 'remove', work: () => Promise<unknown>) {
    setBusy(action);
    setProblem(null);
    try {
      await work();
      setChosen(null);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="flex items-center gap-4">
      <Avatar name={name} src={chosen?.preview ?? avatarUrl} size="xl" />
      <div class="flex min-w-0 flex-col gap-2">
        <input
          ref={inputRef}
          type="file"
          accept={AVATAR_TYPES.join(',')}
          class="sr-only"
          tabIndex={-1}
          aria-label="Profile photo file"
          onChange={choose}
        />
        <div class="flex flex-col items-start gap-2 sm:flex-row sm:flex-wrap">
          {chosen ? (
            <>
              <Button
                loading={busy === 'upload'}
                onClick={() => void run('upload', () => onUpload(chosen.file))}
              >
                Save photo
              </Button>
              <Button
                variant="secondary"
                disabled={busy !== null}
                onClick={() => {
                  setChosen(null);
                }}
              >
                Cancel
              </Button>
            </>
          ) : (
            <>
              <Button
                variant="secondary"
                icon={<CameraIcon class="size-4" />}
                disabled={busy !== null}
                onClick={() => inputRef.current?.click()}
              >
                {avatarUrl ? 'Change photo' : 'Upload photo'}
              </Button>
              {avatarUrl && (
                <Button
                  variant="ghost"
                  icon={<TrashIcon class="size-4" />}
                  loading={busy === 'remove'}
                  onClick={() => void run('remove', onRemove)}
                >
                  Remove photo
                </Button>
              )}
            </>
          )}
        </div>
        {problem ? (
          <p role="alert" class="text-sm text-error-600">
            {problem}
          </p>
        ) : (
          <p class="text-sm text-gray-600">
            {chosen ? 'This is a preview. Save to use it.' : 'PNG, JPEG or WebP, up to 2 MB.'}
          </p>
        )}
      </div>
    </div>
  );
}
