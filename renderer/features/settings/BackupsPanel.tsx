import { useEffect, useRef, useState } from 'react';
import type { BackupInfo, BackupReason } from '../../../shared/contract/areas/settings';
import { useHost, useRequest } from '../../api/context';

const reasonLabel: Record<BackupReason, string> = {
  scheduled: 'Scheduled',
  manual: 'Manual',
  'before-migration': 'Before an upgrade',
  'before-restore': 'Before a restore',
};

export const FLASH_KEY = 'workbench.settings.flash';

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The backups in the data folder: back up now, and restore one after a confirmation that names it. */
export function BackupsPanel({ dataFile, schedule }: { dataFile: string; /** The saved schedule: the list and the next time are read again when it changes. */ schedule: string }) {
  const host = useHost();
  const list = useRequest('backups.list', {}, [schedule]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);

  const backUpNow = async () => {
    setBusy(true);
    setNotice(null);
    try {
      const b = await host.call('backups.create', {});
      setNotice({ kind: 'ok', text: `Backup ${b.name} written.` });
      list.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: `No backup was made: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  const restore = async (b: BackupInfo) => {
    setBusy(true);
    setNotice(null);
    try {
      const r = await host.call('backups.restore', { name: b.name });
      window.sessionStorage.setItem(
        FLASH_KEY,
        `Restored the backup of ${when(r.restored.createdAt)} (${r.runCount} run${r.runCount === 1 ? '' : 's'}). The archive as it was is kept as ${r.safetyCopy.name}.`,
      );
      // Every page reads the archive afresh.
      window.location.reload();
    } catch (e) {
      setConfirming(null);
      setBusy(false);
      setNotice({ kind: 'error', text: `Nothing was restored: ${(e as Error).message}` });
      list.reload();
    }
  };

  const backups = list.status === 'ready' ? list.value.backups : [];
  return (
    <div className="backups">
      <div className="backups-toolbar">
        <button type="button" onClick={() => void backUpNow()} disabled={busy}>
          Back up now
        </button>
        <span className="muted">
          {list.status === 'ready' &&
            (list.value.nextScheduledAt ? `Next automatic backup: ${when(list.value.nextScheduledAt)}.` : 'Automatic backups are off.')}
        </span>
      </div>
      {notice && (
        <p className={notice.kind === 'ok' ? 'notice notice-ok' : 'notice notice-error'} role={notice.kind === 'ok' ? 'status' : 'alert'}>
          {notice.text}
        </p>
      )}
      {list.status === 'error' && <p className="error-text">{list.error.message}</p>}
      {list.status === 'ready' && backups.length === 0 && <p className="muted">No backups yet. They are written to {list.value.folder}.</p>}
      {backups.length > 0 && (
        <table className="data-table backups-table" aria-label="Backups">
          <thead>
            <tr>
              <th>Made</th>
              <th>Kind</th>
              <th className="num">Size</th>
              <th>File</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.name}>
                <td>{when(b.createdAt)}</td>
                <td>{reasonLabel[b.reason]}</td>
                <td className="num">{size(b.size)}</td>
                <td className="mono backup-name">{b.name}</td>
                <td>
                  <button type="button" className="small" disabled={busy} onClick={() => setConfirming(b)} aria-label={`Restore ${b.name}`}>
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.status === 'ready' && backups.length > 0 && <p className="muted small-print">Folder: <span className="mono">{list.value.folder}</span></p>}
      {confirming && <RestoreDialog backup={confirming} dataFile={dataFile} busy={busy} onCancel={() => setConfirming(null)} onConfirm={() => void restore(confirming)} />}
    </div>
  );
}

function RestoreDialog({ backup, dataFile, busy, onCancel, onConfirm }: { backup: BackupInfo; dataFile: string; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const runs = useRequest('runs.list', { limit: 1 });
  const experiments = useRequest('experiments.list', {});
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const current =
    runs.status === 'ready' && experiments.status === 'ready'
      ? `${runs.value.total} run${runs.value.total === 1 ? '' : 's'} in ${experiments.value.length} experiment${experiments.value.length === 1 ? '' : 's'}`
      : 'everything in it';
  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby="restore-title" aria-describedby="restore-body" onCancel={(e) => (busy ? e.preventDefault() : onCancel())}>
      <h2 id="restore-title">Restore the backup of {when(backup.createdAt)}?</h2>
      <div id="restore-body">
        <p>
          The archive in <span className="mono">{dataFile}</span> — {current}, and the settings — will be replaced by the contents of{' '}
          <span className="mono">{backup.name}</span>. Runs, protocols and presets saved since that backup will no longer be in the archive.
        </p>
        <p className="muted">The archive as it is now is first saved as a “before a restore” backup, so this can be undone by restoring that one.</p>
      </div>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} disabled={busy} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Restoring…' : 'Replace the archive with this backup'}
        </button>
      </div>
    </dialog>
  );
}
