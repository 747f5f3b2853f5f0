import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstrumentState, RequestInput } from '../../../shared/contract';
import type { ConnectionConfig, ConsoleLine, PortList } from '../../../shared/contract/areas/instruments';
import { useHost } from '../../api/context';

const MAX_LINES = 2000;

/** The Instruments page's view of the manager: state, ports, config and console, kept live by events. */
export function useInstruments() {
  const host = useHost();
  const [state, setState] = useState<InstrumentState>({ state: 'disconnected', port: null, idn: null, message: null });
  const [ports, setPorts] = useState<PortList>({ ports: [], warning: null });
  const [config, setConfig] = useState<ConnectionConfig | null>(null);
  const [lines, setLines] = useState<ConsoleLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const lastSeq = useRef(-1);

  const addLines = useCallback((more: ConsoleLine[]) => {
    const fresh = more.filter((l) => l.seq > lastSeq.current);
    if (fresh.length === 0) return;
    lastSeq.current = fresh[fresh.length - 1]!.seq;
    setLines((old) => [...old, ...fresh].slice(-MAX_LINES));
  }, []);

  useEffect(() => {
    let live = true;
    const offs = [
      host.on('instrument.state', (s) => setState(s)),
      host.on('ports.changed', (p) => setPorts(p)),
      host.on('instruments.console', (c) => addLines(c.lines)),
    ];
    void Promise.all([host.call('instruments.state', {}), host.call('instruments.ports', {}), host.call('instruments.config', {}), host.call('instruments.console', {})]).then(
      ([s, p, c, con]) => {
        if (!live) return;
        setState(s);
        setPorts(p);
        setConfig(c);
        addLines(con.lines);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [host, addLines]);

  /** Runs an action, showing its failure in a sentence. */
  const act = useCallback(async <T,>(body: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    try {
      return await body();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }, []);

  return {
    state,
    ports,
    config,
    lines,
    error,
    setError,
    refreshPorts: () => act(async () => setPorts(await host.call('instruments.ports', { refresh: true }))),
    configure: (patch: RequestInput<'instruments.configure'>) => act(async () => setConfig(await host.call('instruments.configure', patch))),
    connect: () => act(async () => setState(await host.call('instruments.connect', {}))),
    disconnect: () => act(async () => setState(await host.call('instruments.disconnect', {}))),
    startVirtual: (driver: ConnectionConfig['driver']) =>
      act(async () => {
        const v = await host.call('instruments.startVirtual', { driver });
        setPorts(await host.call('instruments.ports', { refresh: true }));
        setConfig(await host.call('instruments.configure', { path: v.path, driver: v.driver }));
        return v;
      }),
    exportConsole: () => act(() => host.call('instruments.consoleExport', {})),
  };
}
