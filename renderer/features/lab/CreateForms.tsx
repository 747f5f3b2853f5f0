import { useState, type FormEvent, type ReactNode } from 'react';
import type { LabChip, LabSample } from '../../../shared/contract/areas/lab';
import { useHost } from '../../api/context';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A small form in a disclosure: its fields, a submit button, the refusal in a sentence. */
function FormBox({ title, testId, submit, children, canSubmit, why }: { title: string; testId: string; submit: () => Promise<void>; children: ReactNode; canSubmit: boolean; why: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    submit().then(
      () => setBusy(false),
      (err: unknown) => (setBusy(false), setError(message(err))),
    );
  };
  return (
    <details className="lab-form">
      <summary>{title}</summary>
      <form onSubmit={onSubmit} data-testid={testId}>
        {children}
        <button type="submit" className="primary" disabled={!canSubmit || busy} title={why ?? undefined}>
          Create
        </button>
        {why && <p className="muted small-text">{why}</p>}
        {error && (
          <p className="error-text small-text" role="alert">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}

export function NewSampleForm({ onCreated }: { onCreated: (s: LabSample) => void }) {
  const host = useHost();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'wafer' | 'piece'>('wafer');
  const [stack, setStack] = useState('');
  const [date, setDate] = useState('');
  return (
    <FormBox
      title="New sample…"
      testId="new-sample"
      canSubmit={name.trim() !== ''}
      why={name.trim() === '' ? 'A sample needs a name.' : null}
      submit={async () => {
        const s = await host.call('lab.samples.create', { name, kind, ...(stack ? { materialStack: stack } : {}), ...(date ? { fabricatedOn: date } : {}) });
        setName('');
        onCreated(s);
      }}
    >
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>Kind</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as 'wafer' | 'piece')}>
          <option value="wafer">Wafer</option>
          <option value="piece">Piece</option>
        </select>
      </label>
      <label className="field">
        <span>Material stack</span>
        <input value={stack} placeholder="e.g. Pt/HfO₂/TiN" onChange={(e) => setStack(e.target.value)} />
      </label>
      <label className="field">
        <span>Fabrication date</span>
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
    </FormBox>
  );
}

export function NewChipForm({ samples, sampleId, onCreated }: { samples: readonly LabSample[]; sampleId: string | null; onCreated: (c: LabChip) => void }) {
  const host = useHost();
  const own = samples.filter((s) => s.kind !== 'virtual');
  const [chosen, setChosen] = useState('');
  const sample = chosen || sampleId || own[0]?.id || '';
  const [name, setName] = useState('');
  const [crossbar, setCrossbar] = useState(true);
  const [rows, setRows] = useState('8');
  const [cols, setCols] = useState('8');
  const side = (s: string) => /^\d{1,4}$/.test(s.trim()) && Number(s) >= 1 && Number(s) <= 4096;
  const why = own.length === 0 ? 'Create a sample first.' : name.trim() === '' ? 'A chip needs a name.' : crossbar && !(side(rows) && side(cols)) ? 'Word and bit lines are whole numbers from 1 to 4096.' : null;
  return (
    <FormBox
      title="New chip…"
      testId="new-chip"
      canSubmit={why === null}
      why={why}
      submit={async () => {
        const c = await host.call('lab.chips.create', { sampleId: sample, name, ...(crossbar ? { rows: Number(rows), cols: Number(cols) } : {}) });
        setName('');
        onCreated(c);
      }}
    >
      <label className="field">
        <span>Sample</span>
        <select value={sample} onChange={(e) => setChosen(e.target.value)}>
          {own.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={crossbar} onChange={(e) => setCrossbar(e.target.checked)} /> Crossbar
      </label>
      {crossbar && (
        <div className="field-row">
          <label className="field">
            <span>Word lines</span>
            <input className="mono" inputMode="numeric" value={rows} onChange={(e) => setRows(e.target.value)} />
          </label>
          <label className="field">
            <span>Bit lines</span>
            <input className="mono" inputMode="numeric" value={cols} onChange={(e) => setCols(e.target.value)} />
          </label>
        </div>
      )}
    </FormBox>
  );
}

export function NewDeviceForm({ chip, onCreated }: { chip: LabChip; onCreated: () => void }) {
  const host = useHost();
  const [wl, setWl] = useState('0');
  const [bl, setBl] = useState('0');
  const [name, setName] = useState('');
  const [area, setArea] = useState('');
  const isCrossbar = chip.rows !== null;
  const line = (s: string, n: number | null) => /^\d{1,4}$/.test(s.trim()) && n !== null && Number(s) < n;
  const areaOk = area.trim() === '' || (Number.isFinite(Number(area)) && Number(area) > 0);
  const why = isCrossbar && !line(wl, chip.rows)
    ? `The word line is 0 to ${(chip.rows ?? 1) - 1}.`
    : isCrossbar && !line(bl, chip.cols)
      ? `The bit line is 0 to ${(chip.cols ?? 1) - 1}.`
      : !areaOk
        ? 'The area is a positive number of m² (e.g. 1e-12).'
        : null;
  return (
    <FormBox
      title={`New device on ${chip.name}…`}
      testId="new-device"
      canSubmit={why === null}
      why={why}
      submit={async () => {
        await host.call('lab.devices.create', {
          chipId: chip.id,
          ...(isCrossbar ? { wordLine: Number(wl), bitLine: Number(bl) } : {}),
          ...(name.trim() ? { name } : {}),
          ...(area.trim() ? { areaM2: Number(area) } : {}),
        });
        setName('');
        onCreated();
      }}
    >
      {isCrossbar && (
        <div className="field-row">
          <label className="field">
            <span>Word line</span>
            <input className="mono" inputMode="numeric" value={wl} onChange={(e) => setWl(e.target.value)} />
          </label>
          <label className="field">
            <span>Bit line</span>
            <input className="mono" inputMode="numeric" value={bl} onChange={(e) => setBl(e.target.value)} />
          </label>
        </div>
      )}
      <label className="field">
        <span>Name</span>
        <input value={name} placeholder={isCrossbar ? `WL${wl}/BL${bl}` : 'D1, D2, …'} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>Area (m²)</span>
        <input className="mono" value={area} placeholder="optional, e.g. 1e-12" onChange={(e) => setArea(e.target.value)} />
      </label>
    </FormBox>
  );
}
