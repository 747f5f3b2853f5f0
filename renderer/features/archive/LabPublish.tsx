/**
 * This PC's side of the lab archive (#16) in the Archive: a line saying where the lab is and what is
 * pending, published or failed, with "Publish now"; and each run's, RL run's and device's state
 * beside it (the reason of a failure in the badge's title and its accessible name).
 */
import '../../styles/archive.css';
import { useEffect, useState } from 'react';
import type { LabPublishState } from '../../../shared/contract/areas/lab';
import { formatCount } from '../../../shared/units';
import { useHost, useRequest } from '../../api/context';

export type LabStates = ReadonlyMap<string, { state: LabPublishState; reason: string | null }>;

/** The publish state of each listed run (or RL run, or device); `configured` false (and no states) when no lab is configured. */
export function useLabStates(ids: readonly string[], version: number, kind: 'run' | 'rl-run' | 'device' = 'run'): { configured: boolean; states: LabStates } {
  const host = useHost();
  const status = useRequest('lab.status', {}, [version]);
  const configured = status.status === 'ready' && status.value.source !== null;
  const [states, setStates] = useState<LabStates>(new Map());
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    if (!configured || key === '') {
      setStates(new Map());
      return;
    }
    host.call('lab.states', { kind, ids: key.split(',') }).then(
      (list) => live && setStates(new Map(list.map((s) => [s.id, { state: s.state, reason: s.reason }]))),
      () => live && setStates(new Map()),
    );
    return () => {
      live = false;
    };
  }, [host, key, configured, version, kind]);
  return { configured, states };
}

export function LabStateBadge({ state }: { state: { state: LabPublishState; reason: string | null } | undefined }) {
  if (!state) return <span className="muted">—</span>;
  const text = state.state === 'failed' ? `failed: ${state.reason ?? 'unknown reason'}` : state.state;
  return (
    <span className={`lab-state lab-state-${state.state}`} title={text} aria-label={`Lab: ${text}`} data-lab-state={state.state}>
      {state.state}
    </span>
  );
}

/** "Lab postgres://… — 3 pending · 10 published · 1 failed [Publish now]", or how to configure one. */
export function LabPublishBar({ onPublished }: { onPublished: () => void }) {
  const host = useHost();
  const status = useRequest('lab.status', {});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  if (status.status !== 'ready') return null;
  const s = status.value;
  if (s.source === null) {
    return (
      <p className="lab-bar muted" data-testid="lab-bar">
        {s.problem ? <span className="error-text">Lab archive: {s.problem}</span> : 'No lab archive configured: runs stay on this PC.'} See Settings → Lab archive.
      </p>
    );
  }
  const publish = () => {
    setBusy(true);
    host
      .call('lab.publish', {})
      .then(
        (r) => setMessage(r.stopped ? { text: `Publishing stopped: ${r.stopped}. ${r.pending} stay pending.`, error: true } : { text: `Published ${r.published}${r.failed ? `, ${r.failed} failed` : ''}.` }),
        (e: unknown) => setMessage({ text: e instanceof Error ? e.message : String(e), error: true }),
      )
      .finally(() => {
        setBusy(false);
        status.reload();
        onPublished();
      });
  };
  const c = s.counts;
  return (
    <div className="lab-bar" data-testid="lab-bar">
      <span>
        Lab <span className="mono">{s.display}</span>:
      </span>
      <span data-testid="lab-counts">
        {formatCount(c.pending)} pending · {formatCount(c.published)} published · <span className={c.failed ? 'error-text' : undefined}>{formatCount(c.failed)} failed</span>
      </span>
      {s.lastPass?.stopped && <span className="error-text">last publish stopped: {s.lastPass.stopped}</span>}
      <button type="button" className="small" disabled={busy || s.publishing} onClick={publish}>
        {busy || s.publishing ? 'Publishing…' : 'Publish now'}
      </button>
      {message && (
        <span className={message.error ? 'error-text' : 'muted'} role="status">
          {message.text}
        </span>
      )}
    </div>
  );
}
