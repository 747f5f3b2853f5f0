import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, InstrumentState } from '../../shared/contract';
import { useEvent, useHost, useRequest } from '../api/context';
import type { ConnectionState } from '../api/host-client';
import { StatusPill } from '../components/StatusPill';

/** Always visible: which host, which data file, the instrument, and the link to the host. */
export function StatusBar({ info }: { info: AppInfo | null }) {
  const host = useHost();
  const initial = useRequest('instruments.state', {});
  const [instrument, setInstrument] = useState<InstrumentState | null>(null);
  const [link, setLink] = useState<ConnectionState>(host.connection());
  useEffect(() => host.onConnection(setLink), [host]);
  useEvent('instrument.state', useCallback((s: InstrumentState) => setInstrument(s), []));
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
      <StatusPill state={current?.state ?? 'disconnected'} title={current?.message ?? current?.idn ?? undefined} />
    </footer>
  );
}
