import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert, Spinner } from '@/ui';

/**
 * A page whose code is fetched the first time it is shown, so the sign-in page does not carry
 * it (the meeting page brings WebRTC, devices and the video stage).
 */
export function lazyPage<P extends object>(
  load: () => Promise<ComponentType<P>>,
): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const [Page, setPage] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (Page) {
        return;
      }
      let active = true;
      load()
        .then((component) => {
          loaded = component;
          if (active) {
            setPage(() => component);
          }
        })
        .catch(() => {
          if (active) {
            setFailed(true);
          }
        });
      return () => {
        active = false;
      };
    }, [Page, attempt]);
    if (Page) {
      return <Page {...props} />;
    }
    if (failed) {
      return (
        <Alert tone="error" title="This page did not load" class="mx-auto mt-10 max-w-md">
          Check your connection.{' '}
          <button
            type="button"
            class="font-medium text-green-800 underline"
            onClick={() => {
              setFailed(false);
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </Alert>
      );
    }
    return (
      <p role="status" class="mt-10 flex items-center justify-center gap-2 text-sm text-gray-600">
        <Spinner /> Loading…
      </p>
    );
  };
}
