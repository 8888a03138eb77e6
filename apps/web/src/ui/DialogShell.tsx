import { type ReactNode, useEffect, useId, useRef } from 'react';
import { closeDialogAction, useStore } from '../store/index.ts';

/**
 * A modal dialog for one authoring task. Escape, Cancel and accepting all close it through the
 * store, so only one authoring dialog is ever open and any part of the UI can open one.
 * The title stays on top and the body scrolls; the body's action row (`.dialog-actions`) sticks
 * to the bottom, so Accept and Cancel are on screen however long the preview is.
 */
export function DialogShell({
  title,
  children,
  wide = false,
  testId,
}: {
  title: string;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const closeDialog = useStore(closeDialogAction);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className={`dialog authoring-dialog ${wide ? 'wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={closeDialog}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
