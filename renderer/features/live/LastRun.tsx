/**
 * What the last run of the chosen protocol on the chosen device gave (#19), from the archive with
 * the Archive's own filters (`runs.list` by protocol name and device, newest first): its
 * name, when, how it ended, ΔG, and links to it and to all such runs in the Archive.
 */
import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../shared/contract';
import type { RunDeviceFilter } from '../../../shared/contract/areas/archive';
import { useHost } from '../../api/context';
import { navigate } from '../../app/use-hash-route';
import { formatDeltaG } from '../../../shared/units';
import { deltaGPercent } from '../archive/delta-g';

/** The run's device as the Archive files it: a simulated preset or an instrument's driver. */
export type LastRunDevice = RunDeviceFilter & { name: string };

type Found = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; run: RunSummary | null; total: number };

/** The name a run of the chosen protocol is filed under: a template's or a library version's document name. */
function useProtocolName(choice: string): string | null {
  const host = useHost();
  const [name, setName] = useState<{ choice: string; name: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    const done = (n: string | null) => live && setName({ choice, name: n });
    if (choice.startsWith('template:')) {
      const id = choice.slice('template:'.length);
      host.call('protocols.templates', {}).then((ts) => done(ts.find((t) => t.id === id)?.document.name ?? null), () => done(null));
    } else if (choice.startsWith('library:')) {
      const [id = '', version = ''] = choice.slice('library:'.length).split('@');
      host.call('protocols.get', version ? { id, version: Number(version) } : { id }).then((r) => done(r.document.name || r.name), () => done(null));
    } else done(null);
    return () => {
      live = false;
    };
  }, [host, choice]);
  return name?.choice === choice ? name.name : null;
}

/**
 * `going`: the run in progress on the page, left out so that while it goes the card shows the one
 * before it (what to compare with); once it has ended it is the last run.
 */
export function LastRun({ protocol, device, going, refresh }: { protocol: string; device: LastRunDevice | null; going: string | null; refresh: string }) {
  const host = useHost();
  const name = useProtocolName(protocol);
  const [found, setFound] = useState<Found>({ status: 'loading' });
  const kind = device?.kind;
  const deviceName = device?.name;
  useEffect(() => {
    if (!name?.trim() || !kind || !deviceName) return;
    let live = true;
    setFound({ status: 'loading' });
    host.call('runs.list', { protocol: name, device: { kind, name: deviceName }, limit: 2 }).then(
      (r) => {
        if (!live) return;
        const mine = r.runs.filter((x) => x.id !== going);
        setFound({ status: 'ready', run: mine[0] ?? null, total: r.total - (r.runs.length - mine.length) });
      },
      (e: unknown) => live && setFound({ status: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [host, name, kind, deviceName, going, refresh]);

  if (!name?.trim() || !device) return null;
  const on = device.kind === 'simulated' ? `simulated ${device.name}` : device.name;
  const run = found.status === 'ready' ? found.run : null;
  const dG = run ? deltaGPercent(run) : null;
  const when = run ? new Date(run.endedAt ?? run.startedAt ?? run.createdAt) : null;
  return (
    <section className="last-run" data-testid="last-run">
      <div className="last-run-head">
        <h2>Last run of this protocol on this device</h2>
        <span className="last-run-what">
          “{name}” on {on}
        </span>
      </div>
      {found.status === 'loading' ? (
        <p className="muted">Looking in the archive…</p>
      ) : found.status === 'error' ? (
        <p className="error-text">{found.message}</p>
      ) : !run ? (
        <p className="muted" data-testid="last-run-none">
          None yet: this protocol has not run on this device.
        </p>
      ) : (
        <dl className="last-run-facts">
          <div>
            <dt>Run</dt>
            <dd className="last-run-name" data-testid="last-run-name" title={run.name}>
              {run.name}
            </dd>
          </div>
          <div>
            <dt>{run.endedAt ? 'Ended' : 'Started'}</dt>
            <dd className="mono" data-testid="last-run-date" title={when!.toISOString()}>
              {when!.toLocaleString()}
            </dd>
          </div>
          <div>
            <dt className="sr-only">Status</dt>
            <dd>
              <span className={`status status-${run.status}`} data-testid="last-run-status">
                {run.status}
              </span>
            </dd>
          </div>
          <div>
            <dt>ΔG</dt>
            <dd className="mono" data-testid="last-run-dg">
              {dG === null ? '—' : formatDeltaG(dG)}
            </dd>
          </div>
          <div>
            <dt className="sr-only">In the Archive</dt>
            <dd>
              <a href={`#/archive?run=${run.id}`} data-testid="last-run-link" onClick={(e) => (e.preventDefault(), navigate('archive', { run: run.id }))}>
                Open it in the Archive
              </a>
              {found.status === 'ready' && found.total > 1 && <span className="muted"> (the newest of {found.total})</span>}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
