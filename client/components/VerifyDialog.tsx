import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal dialog that opens when mounted; Escape (the dialog's own cancel) calls `onCancel`.
 * Shortcut keys stay off while it is open (the page checks for an open dialog).
 */
export function VerifyDialog({
  labelledBy,
  onCancel,
  testId,
  children,
}: {
  labelledBy: string;
  onCancel: () => void;
  testId: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="verify-dialog"
      aria-labelledby={labelledBy}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}
