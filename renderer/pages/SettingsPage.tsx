import { useEffect, useMemo, useState } from 'react';
import {
  BackupScheduleSetting,
  DefaultReadVoltageSetting,
  SafetyLimitsSetting,
  type BackupSchedule,
  type Settings,
  type SettingsPatch,
  type UnitsDisplay,
} from '../../shared/contract/areas/settings';
import type { SafetyLimits } from '../../shared/protocol/limits';
import { useHost } from '../api/context';
import { useAppState } from '../app/app-state';
import { useTheme, type ThemeChoice } from '../app/theme';
import { BackupsPanel, FLASH_KEY } from '../features/settings/BackupsPanel';
import { LabSettings } from '../features/settings/LabSettings';
import { QuantityField } from '../features/settings/QuantityField';
import { exactText, readField, type FieldCheck, type QuantitySpec } from '../features/settings/quantity';
import { formatQuantity } from '../features/settings/units-display';
import { useSettings } from '../features/settings/use-settings';
import '../styles/settings.css';

type LimitKey = keyof SafetyLimits;
type TextKey = LimitKey | 'defaultReadVoltage';

const limitFields: { key: LimitKey; label: string; spec: QuantitySpec; hint: string }[] = [
  { key: 'maxVoltage', label: 'Max |V|', spec: { unit: 'V' }, hint: 'Largest pulse or read voltage, either polarity (e.g. 5 V).' },
  { key: 'compliance', label: 'Compliance current', spec: { unit: 'A' }, hint: 'Set on the instrument before its output goes on (e.g. 1 mA).' },
  { key: 'maxWidth', label: 'Max pulse width', spec: { unit: 's' }, hint: 'Longest single pulse (e.g. 10 ms).' },
  { key: 'maxDutyCycle', label: 'Max duty cycle', spec: { unit: '', kind: 'ratio' }, hint: 'Width ÷ period of trains and ramps (e.g. 50 %).' },
  { key: 'maxPulses', label: 'Max pulses', spec: { unit: '', kind: 'count' }, hint: 'Most pulses one protocol may apply (e.g. 1e6).' },
  { key: 'maxReads', label: 'Max reads', spec: { unit: '', kind: 'count' }, hint: 'Most reads one protocol may take (e.g. 10M).' },
];
const readSpec: QuantitySpec = { unit: 'V' };

interface Draft {
  text: Record<TextKey, string>;
  units: UnitsDisplay;
  autoReconnect: boolean;
  backups: { schedule: BackupSchedule['schedule']; keep: string };
}

function draftOf(s: Settings): Draft {
  const text = {} as Record<TextKey, string>;
  for (const f of limitFields) text[f.key] = exactText(s.limits[f.key], f.spec);
  text.defaultReadVoltage = exactText(s.defaultReadVoltage, readSpec);
  return { text, units: { ...s.units }, autoReconnect: s.autoReconnect, backups: { schedule: s.backups.schedule, keep: String(s.backups.keep) } };
}

function firstIssue(r: { success: boolean; error?: { issues: { message: string }[] } }): string | null {
  return r.success ? null : (r.error?.issues[0]?.message ?? 'is not valid');
}

/** Every field checked on its own, as typed; the read voltage also against the (draft) voltage limit. */
function checkDraft(d: Draft): { fields: Record<TextKey, FieldCheck>; keep: FieldCheck } {
  const fields = {} as Record<TextKey, FieldCheck>;
  for (const f of limitFields) fields[f.key] = readField(d.text[f.key], f.spec, (v) => firstIssue(SafetyLimitsSetting.shape[f.key].safeParse(v)));
  const maxV = fields.maxVoltage;
  fields.defaultReadVoltage = readField(d.text.defaultReadVoltage, readSpec, (v) => {
    const own = firstIssue(DefaultReadVoltageSetting.safeParse(v));
    if (own) return own;
    return maxV.ok && Math.abs(v) > maxV.value ? `must be within the voltage limit (max |V| = ${d.text.maxVoltage.trim()})` : null;
  });
  const keepText = d.backups.keep.trim();
  const keepNumber = /^\d+$/.test(keepText) ? Number(keepText) : NaN;
  const keep: FieldCheck = Number.isNaN(keepNumber)
    ? { ok: false, message: 'must be a whole number of backups' }
    : ((p) => (p ? { ok: false as const, message: p } : { ok: true as const, value: keepNumber }))(firstIssue(BackupScheduleSetting.shape.keep.safeParse(keepNumber)));
  return { fields, keep };
}

/** The settings the draft changes, or null when a field is invalid. */
function patchOf(saved: Settings, d: Draft, checked: ReturnType<typeof checkDraft>): SettingsPatch | null {
  if (!Object.values(checked.fields).every((c) => c.ok) || !checked.keep.ok) return null;
  const value = (k: TextKey) => (checked.fields[k] as { value: number }).value;
  const patch: SettingsPatch = {};
  const limits: Partial<SafetyLimits> = {};
  for (const f of limitFields) if (value(f.key) !== saved.limits[f.key]) limits[f.key] = value(f.key);
  if (Object.keys(limits).length > 0) patch.limits = limits;
  if (value('defaultReadVoltage') !== saved.defaultReadVoltage) patch.defaultReadVoltage = value('defaultReadVoltage');
  if (d.units.prefixes !== saved.units.prefixes || d.units.digits !== saved.units.digits) patch.units = { ...d.units };
  if (d.autoReconnect !== saved.autoReconnect) patch.autoReconnect = d.autoReconnect;
  const keep = checked.keep.value;
  if (d.backups.schedule !== saved.backups.schedule || keep !== saved.backups.keep) patch.backups = { schedule: d.backups.schedule, keep };
  return patch;
}

function countChanges(p: SettingsPatch): number {
  return Object.values(p).reduce<number>((n, v) => n + (v !== null && typeof v === 'object' ? Object.keys(v).length : 1), 0);
}

export default function SettingsPage() {
  const host = useHost();
  const [theme, setTheme] = useTheme();
  const { info } = useAppState();
  const { settings, error, update } = useSettings();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [serverProblems, setServerProblems] = useState<Record<string, string>>({});
  // What a restore left to say after its reload: read while rendering, forgotten once shown.
  const [flash] = useState(() => window.sessionStorage.getItem(FLASH_KEY));
  useEffect(() => {
    if (flash) window.sessionStorage.removeItem(FLASH_KEY);
  }, [flash]);

  useEffect(() => {
    if (settings && draft === null) setDraft(draftOf(settings));
  }, [settings, draft]);

  const checked = useMemo(() => (draft ? checkDraft(draft) : null), [draft]);
  const patch = settings && draft && checked ? patchOf(settings, draft, checked) : null;
  const changes = patch ? countChanges(patch) : 0;
  const invalid = checked ? [...limitFields.map((f) => f.key), 'defaultReadVoltage' as const].filter((k) => !checked.fields[k].ok).length + (checked.keep.ok ? 0 : 1) : 0;

  const edit = (fn: (d: Draft) => Draft) => {
    setDraft((d) => (d ? fn(d) : d));
    setStatus(null);
    setServerProblems({});
  };
  const setText = (k: TextKey, text: string) => edit((d) => ({ ...d, text: { ...d.text, [k]: text } }));

  const save = async () => {
    if (!patch || changes === 0) return;
    setSaving(true);
    try {
      const next = await update(patch);
      setDraft(draftOf(next));
      setStatus({ kind: 'ok', text: 'Settings saved.' });
    } catch (e) {
      const problems = ((e as { details?: { problems?: { path: string; message: string }[] } }).details?.problems ?? []).map((p) => [p.path.split('.').pop() ?? p.path, p.message] as const);
      setServerProblems(Object.fromEntries(problems));
      setStatus({ kind: 'error', text: `Not saved: ${(e as Error).message}` });
    } finally {
      setSaving(false);
    }
  };

  const chooseTheme = (t: ThemeChoice) => {
    setTheme(t);
    void update({ theme: t }).catch((e: unknown) => setStatus({ kind: 'error', text: `The theme applies in this window but was not saved: ${(e as Error).message}` }));
  };

  const fieldCheck = (k: TextKey): FieldCheck => {
    const c = checked?.fields[k] ?? { ok: true, value: 0 };
    const server = serverProblems[k];
    return c.ok && server ? { ok: false, message: server } : c;
  };

  return (
    <section className="page settings-page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      {flash && (
        <p className="notice notice-ok" role="status">
          {flash}
        </p>
      )}
      {error && <p className="error-text">The settings could not be loaded: {error.message}</p>}

      <section className="settings-section" aria-labelledby="s-data">
        <h2 id="s-data">Data</h2>
        <div className="form-grid">
          <label htmlFor="data-folder">Data folder</label>
          <DataFolder path={info?.dataDir ?? ''} desktop={host.kind === 'desktop'} />
          <span>Database</span>
          <span className="mono">{info ? `${info.dataFile} (schema ${info.schemaVersion})` : '…'}</span>
        </div>
      </section>

      {!draft || !settings || !checked ? (
        !error && <p className="loading">Loading…</p>
      ) : (
        <>
          <section className="settings-section" aria-labelledby="s-limits">
            <h2 id="s-limits">Safety limits</h2>
            <p className="muted section-note">
              The ceiling for every protocol: one that exceeds a limit is refused before any byte reaches an instrument, and the limits are mirrored to the
              instrument’s own protections. Values take units and SI prefixes (10 mA, 500 µs, 50 %).
            </p>
            <div className="form-grid two-col">
              {limitFields.map((f) => (
                <QuantityField key={f.key} id={`limit-${f.key}`} label={f.label} text={draft.text[f.key]} onText={(t) => setText(f.key, t)} check={fieldCheck(f.key)} hint={f.hint} />
              ))}
            </div>
          </section>

          <section className="settings-section" aria-labelledby="s-measure">
            <h2 id="s-measure">Measurements and display</h2>
            <div className="form-grid">
              <QuantityField
                id="default-read-voltage"
                label="Default read voltage"
                text={draft.text.defaultReadVoltage}
                onText={(t) => setText('defaultReadVoltage', t)}
                check={fieldCheck('defaultReadVoltage')}
                hint="Small enough not to disturb the device (e.g. 100 mV)."
              />
              <span id="units-label">Units display</span>
              <div className="field" role="group" aria-labelledby="units-label">
                <div className="field-row">
                  <label className="inline">
                    <input type="checkbox" checked={draft.units.prefixes} onChange={(e) => edit((d) => ({ ...d, units: { ...d.units, prefixes: e.target.checked } }))} /> SI prefixes
                  </label>
                  <label className="inline">
                    Significant digits{' '}
                    <select value={draft.units.digits} onChange={(e) => edit((d) => ({ ...d, units: { ...d.units, digits: Number(e.target.value) } }))}>
                      {[2, 3, 4, 5, 6, 7, 8].map((n) => (
                        <option key={n} value={n}>
                          {n}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
                <span className="field-hint muted" data-testid="units-example">
                  Shown as {formatQuantity(1.2345e-5, 'S', draft.units)}, {formatQuantity(0.25, 'V', draft.units)}
                </span>
              </div>
              <label htmlFor="theme">Theme</label>
              <select id="theme" value={theme} onChange={(e) => chooseTheme(e.target.value as ThemeChoice)}>
                <option value="system">Follow the system</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            </div>
          </section>

          <section className="settings-section" aria-labelledby="s-instruments">
            <h2 id="s-instruments">Instruments</h2>
            <div className="form-grid">
              <label htmlFor="auto-reconnect">Auto-reconnect</label>
              <div className="field">
                <label className="inline">
                  <input id="auto-reconnect" type="checkbox" checked={draft.autoReconnect} onChange={(e) => edit((d) => ({ ...d, autoReconnect: e.target.checked }))} /> Reconnect to
                  the same instrument after a disconnect
                </label>
                <span className="field-hint muted">Only to the same identity (VID:PID and serial number), with backoff; a run never resumes by itself.</span>
              </div>
            </div>
          </section>

          <section className="settings-section" aria-labelledby="s-backups">
            <h2 id="s-backups">Backups</h2>
            <div className="form-grid">
              <label htmlFor="backup-schedule">Automatic backup</label>
              <select id="backup-schedule" value={draft.backups.schedule} onChange={(e) => edit((d) => ({ ...d, backups: { ...d.backups, schedule: e.target.value as BackupSchedule['schedule'] } }))}>
                <option value="off">Off</option>
                <option value="hourly">Hourly</option>
                <option value="daily">Daily</option>
              </select>
              <QuantityField
                id="backup-keep"
                label="Keep the last"
                text={draft.backups.keep}
                onText={(t) => edit((d) => ({ ...d, backups: { ...d.backups, keep: t } }))}
                check={serverProblems.keep ? { ok: false, message: serverProblems.keep } : checked.keep}
                hint="backups (scheduled and manual; safety copies are kept apart)."
              />
            </div>
            <BackupsPanel dataFile={info?.dataFile ?? 'the data folder'} schedule={`${settings.backups.schedule}/${settings.backups.keep}`} />
          </section>

          <div className="save-bar" role="region" aria-label="Save settings">
            <button type="button" className="primary" disabled={saving || changes === 0 || invalid > 0} onClick={() => void save()}>
              {saving ? 'Saving…' : 'Save changes'}
            </button>
            <button type="button" disabled={saving || changes === 0} onClick={() => edit(() => draftOf(settings))}>
              Revert
            </button>
            <span className={status?.kind === 'error' || invalid > 0 ? 'error-text' : 'muted'} role="status" data-testid="save-status">
              {invalid > 0
                ? `Fix the ${invalid === 1 ? 'field' : `${invalid} fields`} marked in red to save.`
                : status
                  ? status.text
                  : changes === 0
                    ? 'No unsaved changes.'
                    : `${changes} unsaved change${changes === 1 ? '' : 's'}.`}
            </span>
          </div>
        </>
      )}

      <LabSettings />

      <section className="settings-section" aria-labelledby="s-version">
        <h2 id="s-version">Version</h2>
        <p className="mono">
          {info ? `${info.appName} ${info.appVersion} · ${Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join(' · ')}` : '…'}
        </p>
      </section>
    </section>
  );
}

/** The data folder: its path with Copy, and (desktop only) Open in the file manager. */
function DataFolder({ path, desktop }: { path: string; desktop: boolean }) {
  const host = useHost();
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(path);
      setNote({ kind: 'ok', text: 'Path copied.' });
    } catch {
      const input = document.getElementById('data-folder') as HTMLInputElement | null;
      input?.select();
      setNote({ kind: 'error', text: 'The clipboard is not available here: the path is selected, press Ctrl+C.' });
    }
  };
  const open = async () => {
    try {
      await host.call('settings.openDataFolder', {});
      setNote(null);
    } catch (e) {
      setNote({ kind: 'error', text: (e as Error).message });
    }
  };
  return (
    <div className="field">
      <div className="path-row">
        <input id="data-folder" className="mono path-input" readOnly value={path} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void copy()} disabled={!path}>
          Copy path
        </button>
        {desktop && (
          <button type="button" onClick={() => void open()} disabled={!path}>
            Open folder
          </button>
        )}
      </div>
      {note ? (
        <span className={note.kind === 'ok' ? 'field-hint muted' : 'field-error'} role="status">
          {note.text}
        </span>
      ) : (
        !desktop && <span className="field-hint muted">In the web host the folder is on the machine running the workbench; copy its path to open it there.</span>
      )}
    </div>
  );
}
