import type { ComponentChildren } from 'preact';
import { createPortal } from 'preact/compat';
import { useEffect, useId, useRef } from 'preact/hooks';
import { cn } from '@/lib/cn';
import { focusableWithin, trapTab } from './focus';
import { CloseIcon } from './icons';

export interface ModalProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: string;
  children?: ComponentChildren;
  /** Buttons along the bottom edge. */
  footer?: ComponentChildren;
  class?: string;
}

/** An accessible dialog: focus moves in when it opens and back where it was when it closes. */
export function Modal(props: ModalProps) {
  if (!props.open) {
    return null;
  }
  return createPortal(<ModalDialog {...props} />, document.body);
}

function ModalDialog({
  onClose,
  title,
  description,
  children,
  footer,
  class: className,
}: ModalProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const titleId = `modal-${useId()}`;
  const descriptionId = description ? `${titleId}-description` : undefined;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = dialogRef.current;
    if (dialog) {
      // A control marked data-autofocus (a dialog's safe choice) first, else the first one.
      const preferred = dialog.querySelector<HTMLElement>('[data-autofocus]');
      (preferred ?? focusableWithin(dialog)[0] ?? dialog).focus();
    }
    return () => {
      previous?.focus();
    };
  }, []);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onCloseRef.current();
      } else if (event.key === 'Tab' && dialogRef.current) {
        trapTab(dialogRef.current, event);
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
    };
  }, []);

  return (
    <div class="fixed inset-0 z-50 flex items-end justify-center p-4 sm:items-center">
      <div
        class="absolute inset-0 bg-gray-900/50 backdrop-blur-[2px]"
        data-testid="modal-backdrop"
        onClick={() => {
          onCloseRef.current();
        }}
      />
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        tabIndex={-1}
        class={cn(
          'relative w-full max-w-md rounded-2xl bg-white shadow-xl focus:outline-none',
          className,
        )}
      >
        <div class="flex items-start justify-between gap-4 px-6 pt-6">
          <div>
            <h2 id={titleId} class="text-lg font-semibold text-gray-900">
              {title}
            </h2>
            {description && (
              <p id={descriptionId} class="mt-1 text-sm text-gray-600">
                {description}
              </p>
            )}
          </div>
          <button
            type="button"
            aria-label="Close"
            class="-mt-1 -mr-2 rounded-full p-2 text-gray-500 hover:bg-gray-100 hover:text-gray-700"
            onClick={() => {
              onCloseRef.current();
            }}
          >
            <CloseIcon />
          </button>
        </div>
        <div class="px-6 py-4">{children}</div>
        {footer && (
          <div class="flex flex-col-reverse gap-2 border-t border-gray-100 px-6 py-4 sm:flex-row sm:justify-end">
            {footer}
          </div>
        )}
      </div>
    </div>
  );
}
