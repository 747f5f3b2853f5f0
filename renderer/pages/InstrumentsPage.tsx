import { useState } from 'react';
import type { InstrumentDriverName, VirtualInstrumentInfo } from '../../shared/contract/areas/instruments';
import { Capabilities } from '../features/instruments/Capabilities';
import { ConnectionCard } from '../features/instruments/ConnectionCard';
import { ConsoleInput } from '../features/instruments/ConsoleInput';
import { ConsoleView } from '../features/instruments/ConsoleView';
import { NextStep } from '../features/instruments/NextStep';
import { useInstruments } from '../features/instruments/use-instruments';
import '../styles/instruments.css';

const PILL: Record<string, string> = { disconnected: 'Disconnected', connecting: 'Connecting…', connected: 'Connected', error: 'Error' };
const TRANSPORTS: { value: VirtualInstrumentInfo['transport']; label: string }[] = [
  { value: 'serial', label: 'on a pseudo-terminal (serial)' },
  { value: 'tcp', label: 'on a LAN socket (127.0.0.1)' },
  { value: 'gpib', label: 'behind a Prologix GPIB-USB' },
];

export default function InstrumentsPage() {
  const ins = useInstruments();
  const { state, config, connected, drivers, lines, error } = ins;
  const busy = state.state === 'connected' || state.state === 'connecting';
  const [virtualDriver, setVirtualDriver] = useState<InstrumentDriverName>('keithley2400');
  const [virtualTransport, setVirtualTransport] = useState<VirtualInstrumentInfo['transport']>('serial');
  const title = (name: string) => drivers.find((d) => d.name === name)?.title ?? name;
  const consoleBlocked =
    state.state !== 'connected' ? 'Connect an instrument to send it commands.' : ins.inUse ? 'A run is using the instrument: the console takes commands again when it ends.' : null;

  return (
    <section className="page instruments-page">
      <header className="page-header">
        <h1>Instruments</h1>
        <span className={`pill pill-${state.state}`} title={state.message ?? state.idn ?? undefined} role="status" data-testid="instruments-page-pill">
          <span className="pill-dot" aria-hidden="true" />
          {PILL[state.state]}
        </span>
        <span className="spacer" />
        <label htmlFor="virtual-driver" className="muted">
          Virtual
        </label>
        <select id="virtual-driver" value={virtualDriver} onChange={(e) => setVirtualDriver(e.target.value as InstrumentDriverName)}>
          {drivers.map((d) => (
            <option key={d.name} value={d.name}>
              {d.title}
            </option>
          ))}
        </select>
        <select id="virtual-transport" aria-label="Link" value={virtualTransport} onChange={(e) => setVirtualTransport(e.target.value as VirtualInstrumentInfo['transport'])}>
          {TRANSPORTS.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void ins.startVirtual(virtualDriver, virtualTransport)} disabled={busy}>
          Start virtual instrument
        </button>
      </header>

      <NextStep state={state} chosenPath={config?.path ?? null} virtuals={ins.virtuals} />
      {error && (
        <p className="error-text" role="alert" data-testid="instrument-error">
          {error}
        </p>
      )}

      <div className="instr-layout">
        <div className="instr-side">
          <ConnectionCard ins={ins} />

          <section className="instr-card" aria-labelledby="instr-id">
            <h2 id="instr-id">Instrument</h2>
            <dl className="instr-facts">
              <dt>State</dt>
              <dd data-testid="instrument-state">{state.state}</dd>
              <dt>Address</dt>
              <dd className="mono">{state.port ?? '—'}</dd>
              <dt>Identification</dt>
              <dd className="mono">
                <span data-testid="instrument-idn">{state.idn ?? '—'}</span>
                {connected?.virtual && (
                  <span className="instr-badge" data-testid="instrument-virtual" title="The workbench's emulator, with a simulated memristor behind it">
                    virtual
                  </span>
                )}
              </dd>
              {connected && (
                <>
                  <dt>Driver</dt>
                  <dd data-testid="instrument-driver">
                    {connected.title}
                    {config?.driver === 'auto' ? <span className="muted"> (chosen by *IDN?)</span> : null}
                  </dd>
                </>
              )}
              {state.message && (
                <>
                  <dt>Message</dt>
                  <dd className={state.state === 'error' ? 'error-text' : ''} data-testid="instrument-message">
                    {state.message}
                  </dd>
                </>
              )}
            </dl>
            {connected && (
              <>
                <h3 className="instr-sub">What it can make</h3>
                <Capabilities capabilities={connected.capabilities} />
              </>
            )}
          </section>

          {ins.virtuals.length > 0 && (
            <section className="instr-card" aria-labelledby="instr-virtuals">
              <h2 id="instr-virtuals">Virtual instruments</h2>
              <p className="muted instr-fine">Emulators with a simulated memristor behind them; their *IDN? says VIRTUAL. Stopping one is like pulling the cable.</p>
              <ul className="instr-virtuals" data-testid="virtual-instruments">
                {ins.virtuals.map((v) => (
                  <li key={v.id}>
                    <span className="mono">{v.path}</span>
                    <span className="muted">
                      {title(v.driver)} · {v.preset}, seed {String(v.seed)}
                    </span>
                    <button type="button" className="small" onClick={() => void ins.stopVirtual(v.id)} aria-label={`Stop the virtual instrument on ${v.path}`}>
                      Stop
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>

        <section className="instr-card instr-console-card" aria-labelledby="instr-console-h">
          <div className="instr-console-head">
            <h2 id="instr-console-h">Console</h2>
            <span className="spacer" />
            <button
              type="button"
              onClick={() =>
                void ins.exportConsole().then((r) => {
                  if (!r) return;
                  const url = URL.createObjectURL(new Blob([r.text], { type: 'text/plain' }));
                  const a = document.createElement('a');
                  a.href = url;
                  a.download = r.filename;
                  a.click();
                  setTimeout(() => URL.revokeObjectURL(url), 1000);
                })
              }
            >
              Save as text
            </button>
          </div>
          <ConsoleView lines={lines} />
          <ConsoleInput disabledReason={consoleBlocked} send={ins.send} />
        </section>
      </div>
    </section>
  );
}
