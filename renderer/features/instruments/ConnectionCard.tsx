import { useRef, useState, type ReactNode } from 'react';
import type { DriverChoice, InstrumentPort, SerialSettingsInput } from '../../../shared/contract/areas/instruments';
import { describeResource, formatResource, parseResource, SCPI_SOCKET_PORT } from '../../../shared/instruments/resource';
import { BAUD_RATES } from '../../../shared/instruments/serial-settings';
import type { InstrumentsModel } from './use-instruments';

const KIND_NOTE: Record<InstrumentPort['kind'], string> = {
  serial: '',
  tcp: ' · LAN',
  usbtmc: ' · USB-TMC',
  gpib: ' · GPIB',
};

function portLabel(p: InstrumentPort): string {
  const parts = [p.friendlyName + KIND_NOTE[p.kind]];
  if (p.vidPid) parts.push(p.vidPid);
  if (p.serialNumber) parts.push(`SN ${p.serialNumber}`);
  parts.push(p.path);
  const notes = [p.remembered && p.source !== 'remembered' ? 'remembered' : null, p.accessible === false ? (p.kind === 'usbtmc' ? 'no permission: see Help, USB-TMC' : 'no permission') : null].filter(Boolean);
  return parts.join(' · ') + (notes.length ? ` (${notes.join(', ')})` : '');
}

/** What a typed address is, or why it is not one: shown under the field as it is typed. */
function addressHint(text: string): { ok: boolean; text: string } | null {
  if (text.trim() === '') return null;
  const parsed = parseResource(text);
  return parsed.ok ? { ok: true, text: describeResource(parsed.resource) } : { ok: false, text: parsed.message };
}

/**
 * The connection: which instrument (listed, typed as a resource string, or a LAN host:port), its
 * driver (or 'choose by *IDN?'), the Prologix controller for GPIB addresses, the settings of the
 * link, auto-reconnect, and Connect. Editable only while disconnected.
 */
export function ConnectionCard({ ins }: { ins: InstrumentsModel }) {
  const { state, ports, config, drivers } = ins;
  const busy = state.state === 'connected' || state.state === 'connecting';
  const [lan, setLan] = useState('');
  // #19: an address typed and not yet committed (the field commits on blur) still enables Connect;
  // the click's blur commits it first, and Connect waits for that before connecting.
  const [pathDraft, setPathDraft] = useState<string | null>(null);
  const pathCommit = useRef<Promise<unknown>>(Promise.resolve());
  const connectTyped = async () => {
    await pathCommit.current;
    await ins.connect();
  };
  const kind = config?.kind ?? null;
  const selected = ports.ports.find((p) => p.path === config?.path);
  const setSettings = (s: SerialSettingsInput) => void ins.configure({ settings: s });
  const serialOnly = kind !== null && kind !== 'serial';

  const chooseLan = () => {
    const text = lan.trim();
    const parsed = parseResource(/^\S+:\d+$/.test(text) || !text.includes(':') ? `tcp:${text}` : text);
    if (!parsed.ok || parsed.resource.kind !== 'tcp') {
      ins.setError(parsed.ok ? `${text} is not a LAN address: type HOST or HOST:PORT (port ${SCPI_SOCKET_PORT} by default)` : parsed.message);
      return;
    }
    void ins.configure({ path: formatResource(parsed.resource) });
  };

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
    <section className="instr-card" aria-labelledby="instr-conn">
      <h2 id="instr-conn">Connection</h2>
      <div className="form-grid instr-form">
        <label htmlFor="instr-port">Instrument</label>
        <div className="field">
          <div className="field-row">
            <select
              id="instr-port"
              data-testid="port-select"
              disabled={busy}
              value={selected ? selected.path : ''}
              onChange={(e) => {
                const p = ports.ports.find((x) => x.path === e.target.value);
                void ins.configure({ path: e.target.value || null, ...(p?.virtual ? { driver: p.virtual.driver } : {}) });
              }}
            >
              <option value="">{ports.ports.length === 0 ? 'No instruments found' : 'Choose an instrument…'}</option>
              {ports.ports.map((p) => (
                <option key={`${p.path}|${p.virtual?.id ?? ''}`} value={p.path} disabled={p.accessible === false}>
                  {portLabel(p)}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => void ins.refreshPorts()} title="List again now (serial ports are also polled every second)">
              Refresh
            </button>
            {selected?.remembered && (
              <button type="button" disabled={busy} onClick={() => void ins.forget(selected.path)} title="Forget this instrument's driver and settings">
                Forget
              </button>
            )}
          </div>
          {ports.warning && <span className="field-hint muted" data-testid="ports-warning">{ports.warning}</span>}
        </div>
        <label htmlFor="instr-lan">LAN</label>
        <div className="field-row">
          <input
            id="instr-lan"
            className="mono"
            placeholder={`host or host:port (${SCPI_SOCKET_PORT})`}
            disabled={busy}
            value={lan}
            onChange={(e) => setLan(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && chooseLan()}
          />
          <button type="button" disabled={busy || lan.trim() === ''} onClick={chooseLan}>
            Use
          </button>
        </div>
        <label htmlFor="instr-path">Address</label>
        <DraftInput
          key={`path:${config?.path ?? ''}`}
          id="instr-path"
          committed={config?.path ?? ''}
          placeholder="/dev/ttyUSB0, TCPIP::HOST::5025::SOCKET, USB::/dev/usbtmc0, GPIB::24"
          disabled={busy}
          onCommit={(text) => (pathCommit.current = ins.configure({ path: text.trim() === '' ? null : text }))}
          onDraft={setPathDraft}
          hint={(draft) => {
            const hint = addressHint(draft);
            return (
              <span id="instr-path-hint" className={`field-hint ${hint && !hint.ok ? 'error-text' : 'muted'}`} data-testid="address-hint">
                {hint?.text ?? 'A port path or a VISA-style resource string.'}
              </span>
            );
          }}
        />
        {kind === 'gpib' && (
          <>
            <label htmlFor="instr-controller">Prologix controller</label>
            <DraftInput
              key={`controller:${config?.gpibController ?? ''}`}
              id="instr-controller"
              committed={config?.gpibController ?? ''}
              placeholder="/dev/ttyUSB0 (GPIB-USB) or host:1234 (GPIB-Ethernet)"
              disabled={busy}
              onCommit={(text) => void ins.configure({ gpibController: text.trim() === '' ? null : text })}
            />
          </>
        )}
        <label htmlFor="instr-driver">Driver</label>
        <select id="instr-driver" disabled={busy} value={config?.driver ?? 'auto'} onChange={(e) => void ins.configure({ driver: e.target.value as DriverChoice })}>
          <option value="auto">Choose by *IDN? (auto)</option>
          {drivers.map((d) => (
            <option key={d.name} value={d.name}>
              {d.title}
            </option>
          ))}
        </select>
        {serialOnly ? (
          <>
            <span className="muted">Serial</span>
            <span className="muted instr-fine">Baud rate, data bits, parity and stop bits apply to serial ports only.</span>
          </>
        ) : (
          <>
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
          </>
        )}
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
          <input id="instr-auto" type="checkbox" disabled={config === null} checked={config?.autoReconnect ?? false} onChange={(e) => void ins.setAutoReconnect(e.target.checked)} /> Only to the
          same device (VID:PID and serial; the same address otherwise), with backoff. Also in Settings.
        </label>
      </div>
      <div className="instr-actions">
        {busy ? (
          <button type="button" onClick={() => void ins.disconnect()}>
            Disconnect
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void connectTyped()} disabled={!config?.path && !(pathDraft ?? '').trim()}>
            Connect
          </button>
        )}
        {busy && <span className="muted">Settings can be changed after disconnecting.</span>}
      </div>
    </section>
  );
}

/**
 * A text field edited as a draft and committed on leaving it; the parent gives it a key that
 * changes with the committed value, so a value set elsewhere (a list choice) replaces the draft.
 */
function DraftInput(props: {
  id: string;
  committed: string;
  placeholder: string;
  disabled: boolean;
  onCommit: (text: string) => void;
  /** Each keystroke's text, for a button that acts on what is typed before it is committed. */
  onDraft?: (text: string) => void;
  hint?: (draft: string) => ReactNode;
}) {
  const [draft, setDraft] = useState(props.committed);
  const input = (
    <input
      id={props.id}
      className="mono"
      placeholder={props.placeholder}
      disabled={props.disabled}
      value={draft}
      {...(props.hint ? { 'aria-describedby': `${props.id}-hint` } : {})}
      onChange={(e) => {
        setDraft(e.target.value);
        props.onDraft?.(e.target.value);
      }}
      onBlur={() => draft !== props.committed && props.onCommit(draft)}
    />
  );
  if (!props.hint) return input;
  return (
    <div className="field">
      {input}
      {props.hint(draft)}
    </div>
  );
}
