import { useEffect, useState } from 'react';
import type { ConnectionConfig, InstrumentPort, SerialSettingsInput } from '../../shared/contract/areas/instruments';
import { ConsoleView } from '../features/instruments/ConsoleView';
import { useInstruments } from '../features/instruments/use-instruments';
import { BAUD_RATES } from '../../shared/instruments/serial-settings';
import '../styles/instruments.css';

type Driver = ConnectionConfig['driver'];
const DRIVERS: { value: Driver; label: string }[] = [
  { value: 'keithley2400', label: 'Keithley 2400 series (SCPI)' },
  { value: 'keithley2600', label: 'Keithley 2600B series (TSP)' },
  { value: 'pulse-board', label: 'DIY pulse board (workbench protocol)' },
];
const PILL: Record<string, string> = { disconnected: 'Disconnected', connecting: 'Connecting…', connected: 'Connected', error: 'Error' };

function portLabel(p: InstrumentPort): string {
  const parts = [p.friendlyName];
  if (p.vidPid) parts.push(p.vidPid);
  if (p.serialNumber) parts.push(`SN ${p.serialNumber}`);
  parts.push(p.path);
  return parts.join(' · ');
}

export default function InstrumentsPage() {
  const ins = useInstruments();
  const { state, ports, config, lines, error } = ins;
  const busy = state.state === 'connected' || state.state === 'connecting';
  const [pathDraft, setPathDraft] = useState('');
  const [virtualDriver, setVirtualDriver] = useState<Driver>('keithley2400');
  useEffect(() => setPathDraft(config?.path ?? ''), [config?.path]);

  const setSettings = (s: SerialSettingsInput) => void ins.configure({ settings: s });
  const numberField = (key: 'timeoutMs' | 'identifyTimeoutMs' | 'openDelayMs', label: string, min: number) => (
    <>
      <label htmlFor={`instr-${key}`}>{label}</label>
      <input
        id={`instr-${key}`}
        type="number"
        min={min}
        step={100}
        disabled={busy}
        defaultValue={config?.settings[key]}
        key={`${key}-${config?.driver}-${config?.settings[key]}`}
        onBlur={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v) && v !== config?.settings[key]) setSettings({ [key]: v });
        }}
      />
    </>
  );

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
        <select id="virtual-driver" value={virtualDriver} onChange={(e) => setVirtualDriver(e.target.value as Driver)}>
          {DRIVERS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void ins.startVirtual(virtualDriver)} disabled={busy}>
          Start virtual instrument
        </button>
      </header>

      {error && (
        <p className="error-text" role="alert" data-testid="instrument-error">
          {error}
        </p>
      )}

      <div className="instr-layout">
        <div className="instr-side">
          <section className="instr-card" aria-labelledby="instr-conn">
            <h2 id="instr-conn">Connection</h2>
            <div className="form-grid instr-form">
              <label htmlFor="instr-port">Port</label>
              <div className="field">
                <div className="field-row">
                  <select
                    id="instr-port"
                    data-testid="port-select"
                    disabled={busy}
                    value={ports.ports.some((p) => p.path === config?.path) ? (config?.path ?? '') : ''}
                    onChange={(e) => {
                      const p = ports.ports.find((x) => x.path === e.target.value);
                      void ins.configure({ path: e.target.value || null, ...(p?.virtual ? { driver: p.virtual.driver } : {}) });
                    }}
                  >
                    <option value="">{ports.ports.length === 0 ? 'No ports found' : 'Choose a port…'}</option>
                    {ports.ports.map((p) => (
                      <option key={`${p.path}|${p.virtual?.id ?? ''}`} value={p.path} disabled={p.accessible === false}>
                        {portLabel(p)}
                        {p.accessible === false ? ' (no permission)' : ''}
                      </option>
                    ))}
                  </select>
                  <button type="button" onClick={() => void ins.refreshPorts()} title="List the ports now (they are also polled every second)">
                    Refresh
                  </button>
                </div>
                {ports.warning && <span className="field-hint muted">{ports.warning}</span>}
              </div>
              <label htmlFor="instr-path">Path</label>
              <input
                id="instr-path"
                className="mono"
                placeholder="/dev/ttyUSB0 or /dev/pts/3"
                disabled={busy}
                value={pathDraft}
                onChange={(e) => setPathDraft(e.target.value)}
                onBlur={() => pathDraft !== (config?.path ?? '') && void ins.configure({ path: pathDraft.trim() === '' ? null : pathDraft })}
              />
              <label htmlFor="instr-driver">Driver</label>
              <select id="instr-driver" disabled={busy} value={config?.driver ?? 'keithley2400'} onChange={(e) => void ins.configure({ driver: e.target.value as Driver })}>
                {DRIVERS.map((d) => (
                  <option key={d.value} value={d.value}>
                    {d.label}
                  </option>
                ))}
              </select>
              <label htmlFor="instr-baud">Baud rate</label>
              <select id="instr-baud" disabled={busy} value={config?.settings.baudRate ?? 9600} onChange={(e) => setSettings({ baudRate: Number(e.target.value) })}>
                {BAUD_RATES.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
              <label htmlFor="instr-databits">Data bits</label>
              <select id="instr-databits" disabled={busy} value={config?.settings.dataBits ?? 8} onChange={(e) => setSettings({ dataBits: Number(e.target.value) === 7 ? 7 : 8 })}>
                <option value={8}>8</option>
                <option value={7}>7</option>
              </select>
              <label htmlFor="instr-parity">Parity</label>
              <select id="instr-parity" disabled={busy} value={config?.settings.parity ?? 'none'} onChange={(e) => setSettings({ parity: e.target.value as 'none' | 'even' | 'odd' })}>
                <option value="none">None</option>
                <option value="even">Even</option>
                <option value="odd">Odd</option>
              </select>
              <label htmlFor="instr-stopbits">Stop bits</label>
              <select id="instr-stopbits" disabled={busy} value={config?.settings.stopBits ?? 1} onChange={(e) => setSettings({ stopBits: Number(e.target.value) === 2 ? 2 : 1 })}>
                <option value={1}>1</option>
                <option value={2}>2</option>
              </select>
              <label htmlFor="instr-term">Line terminator</label>
              <select id="instr-term" disabled={busy} value={config?.settings.writeTerminator ?? 'LF'} onChange={(e) => setSettings({ writeTerminator: e.target.value as 'CR' | 'LF' | 'CRLF' })}>
                <option value="CR">CR</option>
                <option value="LF">LF</option>
                <option value="CRLF">CR LF</option>
              </select>
              {numberField('timeoutMs', 'Reply timeout (ms)', 1)}
              {numberField('identifyTimeoutMs', 'Identify timeout (ms)', 1)}
              {numberField('openDelayMs', 'Delay after open (ms)', 0)}
              <label htmlFor="instr-auto">Auto-reconnect</label>
              <label className="inline">
                <input id="instr-auto" type="checkbox" disabled={config === null} checked={config?.autoReconnect ?? false} onChange={(e) => void ins.setAutoReconnect(e.target.checked)} /> Only to
                the same device (VID:PID and serial; the same path for pseudo-terminals), with backoff. Also in Settings.
              </label>
            </div>
            <div className="instr-actions">
              {state.state === 'connected' || state.state === 'connecting' ? (
                <button type="button" onClick={() => void ins.disconnect()}>
                  Disconnect
                </button>
              ) : (
                <button type="button" className="primary" onClick={() => void ins.connect()} disabled={!config?.path}>
                  Connect
                </button>
              )}
              {busy && <span className="muted">Settings can be changed after disconnecting.</span>}
            </div>
          </section>

          <section className="instr-card" aria-labelledby="instr-id">
            <h2 id="instr-id">Instrument</h2>
            <dl className="instr-facts">
              <dt>State</dt>
              <dd data-testid="instrument-state">{state.state}</dd>
              <dt>Port</dt>
              <dd className="mono">{state.port ?? '—'}</dd>
              <dt>Identification</dt>
              <dd className="mono" data-testid="instrument-idn">
                {state.idn ?? '—'}
              </dd>
              {state.message && (
                <>
                  <dt>Message</dt>
                  <dd className={state.state === 'error' ? 'error-text' : ''} data-testid="instrument-message">
                    {state.message}
                  </dd>
                </>
              )}
            </dl>
          </section>

          {ins.virtuals.length > 0 && (
            <section className="instr-card" aria-labelledby="instr-virtuals">
              <h2 id="instr-virtuals">Virtual instruments</h2>
              <p className="muted instr-fine">Emulators on pseudo-terminals, with a simulated memristor behind them. Stopping one is like pulling the cable.</p>
              <ul className="instr-virtuals" data-testid="virtual-instruments">
                {ins.virtuals.map((v) => (
                  <li key={v.id}>
                    <span className="mono">{v.path}</span>
                    <span className="muted">
                      {DRIVERS.find((d) => d.value === v.driver)?.label ?? v.driver} · {v.preset}, seed {String(v.seed)}
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
        </section>
      </div>
    </section>
  );
}
