import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, EventPayload, InstrumentState } from '../../shared/contract';
import { formatDuration } from '../../shared/units';
import { useEvent, useHost, useRequest } from '../api/context';
import type { ConnectionState } from '../api/host-client';
import { StatusPill } from '../components/StatusPill';

/** Always visible: which host, which data file, the instrument, and the link to the host. */
export function StatusBar({ info }: { info: AppInfo | null }) {
  const host = useHost();
  const initial = useRequest('instruments.state', {});
  const [instrument, setInstrument] = useState<InstrumentState | null>(null);
  const [link, setLink] = useState<ConnectionState>(host.connection());
  useEffect(() => {
    const off = host.onConnection(setLink);
    // The socket may have opened between the first render and this subscription.
    setLink(host.connection());
    return off;
  }, [host]);
  useEvent('instrument.state', useCallback((s: InstrumentState) => setInstrument(s), []));
  const [run, setRun] = useState<EventPayload<'run.state'> | null>(null);
  useEffect(() => {
    host.call('runs.active', {}).then(
      (a) => a.running && setRun({ runId: a.running.runId, status: a.running.status, progress: a.running.progress, message: a.running.message }),
      () => undefined,
    );
  }, [host]);
  useEvent('run.state', useCallback((s: EventPayload<'run.state'>) => setRun(['running', 'paused', 'queued'].includes(s.status) ? s : null), []));
  const current = instrument ?? (initial.status === 'ready' ? initial.value : null);

  return (
    <footer className="status-bar" aria-label="Status">
      <span data-testid="host-kind" title="Where the workbench's services run">
        {host.kind === 'desktop' ? 'Desktop' : 'Web host'}
      </span>
      {link !== 'open' && (
        <span className="pill pill-error" role="status">
          {link === 'connecting' ? 'Connecting to the host…' : 'Host connection lost — retrying'}
        </span>
      )}
      <span className="status-file mono" data-testid="data-file" title={info?.dataFile}>
        {info ? info.dataFile : '…'}
      </span>
      <span className="spacer" />
      {run && (
        <a className="status-run mono" href="#/live" data-testid="status-run" title="The running run (open the Live page)">
          {run.status === 'paused' ? 'Paused' : 'Running'} {Math.round(run.progress.fraction * 100)} %{run.progress.etaS != null ? ` · ETA ${formatDuration(run.progress.etaS)}` : ''}
        </a>
      )}
      <StatusPill state={current?.state ?? 'disconnected'} title={current?.message ?? current?.idn ?? undefined} />
    </footer>
  );
}
