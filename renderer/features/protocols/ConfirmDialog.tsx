/** A modal question with two answers (native <dialog>: focus is held inside, Escape cancels). */
import { useEffect, useRef, type ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirm: string;
  cancel?: string;
  danger?: boolean;
  onConfirm: () => void;
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (request && !d.open) d.showModal();
    if (!request && d.open) d.close();
  }, [request]);
  return (
    <dialog ref={ref} className="pe-confirm-dialog" aria-labelledby="confirm-title" onClose={onClose} onCancel={onClose}>
      {request && (
        <div>
          <h2 id="confirm-title">{request.title}</h2>
          <div className="confirm-body">{request.body}</div>
          <div className="pe-confirm-actions">
            <button type="button" autoFocus onClick={onClose}>
              {request.cancel ?? 'Cancel'}
            </button>
            <button
              type="button"
              className={request.danger ? 'danger' : 'primary'}
              onClick={() => {
                const go = request.onConfirm;
                onClose();
                go();
              }}
            >
              {request.confirm}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
