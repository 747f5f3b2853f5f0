import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstrumentState, RequestInput, RequestOutput } from '../../../shared/contract';
import type { ConnectionConfig, ConsoleLine, DriverDescription, InstrumentDriverName, InstrumentLimitsInfo, PortList, VirtualInstrumentInfo } from '../../../shared/contract/areas/instruments';
import { useHost } from '../../api/context';

const MAX_LINES = 2000;

export type ConnectedInfo = NonNullable<InstrumentLimitsInfo['instrument']>;

/** The Instruments page's view of the manager: state, the list, config, drivers and console, kept live by events. */
export function useInstruments() {
  const host = useHost();
  const [state, setState] = useState<InstrumentState>({ state: 'disconnected', port: null, idn: null, message: null });
  const [ports, setPorts] = useState<PortList>({ ports: [], warning: null });
  const [config, setConfig] = useState<ConnectionConfig | null>(null);
  const [drivers, setDrivers] = useState<DriverDescription[]>([]);
  const [connected, setConnected] = useState<ConnectedInfo | null>(null);
  const [inUse, setInUse] = useState(false);
  const [lines, setLines] = useState<ConsoleLine[]>([]);
  const [virtuals, setVirtuals] = useState<VirtualInstrumentInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const lastSeq = useRef(-1);
  /** Counts config writes from this page, so the page's first read cannot undo a newer one. */
  const configWrites = useRef(0);

  const addLines = useCallback((more: ConsoleLine[]) => {
    const fresh = more.filter((l) => l.seq > lastSeq.current);
    if (fresh.length === 0) return;
    lastSeq.current = fresh[fresh.length - 1]!.seq;
    setLines((old) => [...old, ...fresh].slice(-MAX_LINES));
  }, []);

  useEffect(() => {
    let live = true;
    let asked = 0;
    // The connected instrument's facts (driver, capabilities, whether a run uses it); only the newest answer counts.
    const readConnected = () => {
      const mine = ++asked;
      host.call('instruments.limits', {}).then(
        (r) => {
          if (!live || mine !== asked) return;
          setConnected(r.instrument);
          setInUse(r.instrument?.inUse ?? false);
        },
        () => live && mine === asked && setConnected(null),
      );
    };
    const offs = [
      host.on('instrument.state', (s) => {
        setState(s);
        if (s.state === 'connected') readConnected();
        else setConnected(null);
      }),
      host.on('ports.changed', (p) => {
        setPorts(p);
        // A virtual instrument started or stopped (here, in another window or by a script).
        host.call('instruments.virtuals', {}).then((v) => live && setVirtuals(v), () => undefined);
      }),
      host.on('instruments.console', (c) => addLines(c.lines)),
      host.on('instruments.usage', (u) => setInUse(u.inUse)),
      // Auto-reconnect lives in Settings; this page shows (and changes) the same setting.
      host.on('settings.changed', (s) => setConfig((c) => (c ? { ...c, autoReconnect: s.autoReconnect } : c))),
    ];
    // Each answer is shown as it arrives: a slow port listing (udevadm) must not hold back the rest.
    const fail = (e: unknown) => live && setError(e instanceof Error ? e.message : String(e));
    host.call('instruments.state', {}).then((s) => {
      if (!live) return;
      setState(s);
      if (s.state === 'connected') readConnected();
    }, fail);
    host.call('instruments.ports', {}).then((p) => live && setPorts(p), fail);
    // An address committed before this first read answers is newer than the answer: keep it.
    const writesBefore = configWrites.current;
    host.call('instruments.config', {}).then((c) => live && configWrites.current === writesBefore && setConfig(c), fail);
    host.call('instruments.console', {}).then((con) => live && addLines(con.lines), fail);
    host.call('instruments.virtuals', {}).then((v) => live && setVirtuals(v), fail);
    host.call('instruments.drivers', {}).then((d) => live && setDrivers(d), fail);
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
    drivers,
    connected,
    inUse,
    lines,
    virtuals,
    error,
    setError,
    refreshPorts: () => act(async () => setPorts(await host.call('instruments.ports', { refresh: true }))),
    configure: (patch: RequestInput<'instruments.configure'>) =>
      act(async () => {
        configWrites.current++;
        setConfig(await host.call('instruments.configure', patch));
      }),
    /** Writes Settings' autoReconnect: the one setting the Settings page shows too. */
    setAutoReconnect: (on: boolean) => {
      // The box follows the click at once; the saved setting then confirms it, or a refusal puts it back.
      const before = config?.autoReconnect ?? false;
      setConfig((c) => (c ? { ...c, autoReconnect: on } : c));
      return act(async () => {
        try {
          const s = await host.call('settings.update', { autoReconnect: on });
          setConfig((c) => (c ? { ...c, autoReconnect: s.autoReconnect } : c));
        } catch (e) {
          setConfig((c) => (c ? { ...c, autoReconnect: before } : c));
          throw e;
        }
      });
    },
    connect: () =>
      act(async () => {
        setState(await host.call('instruments.connect', {}));
        // A driver chosen by *IDN? and a remembered instrument show in the config and the list.
        setConfig(await host.call('instruments.config', {}));
      }),
    disconnect: () => act(async () => setState(await host.call('instruments.disconnect', {}))),
    /** A console command; its result, or undefined when it was refused (the reason shows as the page's error). */
    send: (command: string): Promise<RequestOutput<'instruments.send'> | undefined> => act(() => host.call('instruments.send', { command })),
    forget: (path: string) => act(async () => setPorts(await host.call('instruments.forget', { path }))),
    startVirtual: (driver: InstrumentDriverName, transport: VirtualInstrumentInfo['transport']) =>
      act(async () => {
        const v = await host.call('instruments.startVirtual', { driver, transport });
        setPorts(await host.call('instruments.ports', { refresh: true }));
        setVirtuals(await host.call('instruments.virtuals', {}));
        // Choose it for Connect, unless another connection holds the settings.
        if (state.state !== 'connected' && state.state !== 'connecting') setConfig(await host.call('instruments.configure', { path: v.path, driver: v.driver }));
        return v;
      }),
    /** Stops an emulator: to its connection, as if the cable were pulled. */
    stopVirtual: (id: string) =>
      act(async () => {
        await host.call('instruments.stopVirtual', { id });
        setVirtuals(await host.call('instruments.virtuals', {}));
      }),
    exportConsole: () => act(() => host.call('instruments.consoleExport', {})),
  };
}

export type InstrumentsModel = ReturnType<typeof useInstruments>;
