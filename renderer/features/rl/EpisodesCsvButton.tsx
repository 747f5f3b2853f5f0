/**
 * "Episodes (CSV)": saves an RL run's per-episode data — this PC's (`rl.export`) or the lab's
 * (`lab.rlExport`) or a lab sweep's (`lab.sweepExport`), the same table — as a file, with the reason shown when it cannot.
 */
import { useState } from 'react';
import { useHost } from '../../api/context';
import { saveFile } from '../archive/download';
import type { ReplaySource } from './ReplayPanel';

const EXPORT_METHOD = { local: 'rl.export', lab: 'lab.rlExport', 'lab-sweep': 'lab.sweepExport' } as const;

export function EpisodesCsvButton({ runId, source = 'local' }: { runId: string; source?: ReplaySource }) {
  const host = useHost();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setBusy(true);
    try {
      const f = await host.call(EXPORT_METHOD[source], { id: runId });
      saveFile(f.filename, f.text, f.mime);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="small" onClick={() => void save()} disabled={busy} title="Every stored episode of every job: steps, return, learning rate, conductance, goal, greedy path length">
        {busy ? 'Exporting…' : 'Episodes (CSV)'}
      </button>
      {error && <span className="error-text rl-small">{error}</span>}
    </>
  );
}
