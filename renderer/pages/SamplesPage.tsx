import '../styles/lab.css';
import { useState } from 'react';
import type { LabChip, LabDevice, LabSample } from '../../shared/contract/areas/samples';
import { useHost, useRequest } from '../api/context';
import { navigate, useHashRoute } from '../app/use-hash-route';
import { ChipMap } from '../features/lab/ChipMap';
import { NewChipForm, NewDeviceForm, NewSampleForm } from '../features/lab/CreateForms';
import { DeviceTimeline } from '../features/lab/DeviceTimeline';
import { VariabilityPanel } from '../features/lab/VariabilityPanel';
import { LabStateBadge, useLabStates } from '../features/archive/LabPublish';
import { saveFile } from '../features/archive/download';

/**
 * Samples (#14): the lab's physical devices — samples (wafers, pieces), their chips (crossbars or
 * single devices) and the devices on them — with each device's timeline, each chip's map and the
 * variability statistics. Not the Devices page, which holds simulated device models.
 */
export default function SamplesPage() {
  const route = useHashRoute('samples');
  const chipId = route.params.get('chip');
  const deviceId = route.params.get('device');
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  const samples = useRequest('samples.list', {}, [version]);
  const chips = useRequest('samples.chips.list', {}, [version]);
  const sampleList = samples.status === 'ready' ? samples.value : [];
  const chipList = chips.status === 'ready' ? chips.value : [];
  const selectedChipId = deviceId === null ? chipId : null;
  const chip = chipList.find((c) => c.id === selectedChipId) ?? null;

  return (
    <section className="page samples-page">
      <header className="page-header">
        <h1>Samples</h1>
        <span className="muted small-text">Wafers and pieces, their chips and crossbars, and each device’s history. Simulated device models are on the Devices page.</span>
      </header>
      <div className="samples-layout">
        <aside className="samples-side" aria-label="Samples and chips">
          {samples.status === 'error' && <p className="error-text">{samples.error.message}</p>}
          <SampleTree samples={sampleList} chips={chipList} selectedChip={selectedChipId} />
          <NewSampleForm onCreated={bump} />
          <NewChipForm samples={sampleList} sampleId={chip?.sampleId ?? null} onCreated={(c) => (bump(), navigate('samples', { chip: c.id }))} />
          {chip && chip.sampleId !== VIRTUAL_SAMPLE && <NewDeviceForm key={chip.id} chip={chip} onCreated={bump} />}
        </aside>
        <div className="samples-main">
          {deviceId !== null ? (
            <DeviceView key={deviceId} id={deviceId} version={version} onChanged={bump} />
          ) : chip ? (
            <ChipView chip={chip} version={version} />
          ) : (
            <div className="empty-state">
              <h2>Start with a sample</h2>
              <p>
                Create a sample (a wafer or a piece), a chip on it — a crossbar of word and bit lines, or single devices — and its devices. Then choose a device under “On device” on the Live page: each run is
                kept in that device’s timeline, and the chip map and the variability statistics gather them.
              </p>
              <p className="muted">Runs that name no device are kept on virtual devices, one per simulated preset and one per instrument (under “Virtual devices”).</p>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

const VIRTUAL_SAMPLE = '00000000-0000-4000-8000-00000000a001';

function SampleTree({ samples, chips, selectedChip }: { samples: readonly LabSample[]; chips: readonly LabChip[]; selectedChip: string | null }) {
  return (
    <nav className="sample-tree" aria-label="Samples" data-testid="sample-tree">
      {samples.map((s) => (
        <div key={s.id} className="sample-node">
          <div className="sample-name">
            <strong>{s.name}</strong> <span className="muted small-text">{s.kind === 'virtual' ? '' : s.kind}</span>
            {s.materialStack && <div className="muted small-text mono">{s.materialStack}</div>}
          </div>
          <ul>
            {chips
              .filter((c) => c.sampleId === s.id)
              .map((c) => (
                <li key={c.id}>
                  <a href={`#/samples?chip=${c.id}`} aria-current={c.id === selectedChip ? 'page' : undefined} className={c.id === selectedChip ? 'active' : ''}>
                    {c.name}
                  </a>{' '}
                  <span className="muted small-text">
                    {c.rows !== null ? `${c.rows}×${c.cols}, ` : ''}
                    {c.devices} device{c.devices === 1 ? '' : 's'}
                  </span>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function ChipView({ chip, version }: { chip: LabChip; version: number }) {
  const map = useRequest('samples.chips.map', { id: chip.id }, [version]);
  return (
    <>
      <div className="lab-title">
        <h2>
          {chip.sampleName} / {chip.name}
        </h2>
        <span className="muted small-text">
          {chip.devices} device{chip.devices === 1 ? '' : 's'}
        </span>
      </div>
      {map.status === 'error' && <p className="error-text">{map.error.message}</p>}
      {map.status === 'ready' && <ChipMap chip={map.value.chip} cells={map.value.cells} />}
      {chip.devices > 0 && <VariabilityPanel key={chip.id} selection={{ chipId: chip.id }} defaultMode="d2d" />}
    </>
  );
}

function DeviceView({ id, version, onChanged }: { id: string; version: number; onChanged: () => void }) {
  const device = useRequest('samples.devices.timeline', { id }, [version]);
  if (device.status === 'error') return <p className="error-text">{device.error.message}</p>;
  if (device.status === 'loading') return <p className="muted">Loading the device…</p>;
  return (
    <>
      <DeviceHeader device={device.value.device} onChanged={onChanged} />
      <DeviceTimeline device={device.value.device} entries={device.value.entries} />
      <VariabilityPanel selection={{ deviceIds: [id] }} defaultMode="c2c" />
    </>
  );
}

function DeviceHeader({ device, onChanged }: { device: LabDevice; onChanged: () => void }) {
  const host = useHost();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = (p: Promise<unknown>, after: () => void) =>
    p.then(
      () => (setError(null), after()),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  const meta = [
    device.wordLine !== null ? `word line ${device.wordLine}, bit line ${device.bitLine}` : null,
    device.materialStack || null,
    device.areaM2 !== null ? `area ${(device.areaM2 * 1e12).toPrecision(3)} µm²` : null,
    device.fabricatedOn ? `made ${device.fabricatedOn}` : null,
    device.archivedAt ? 'archived' : null,
  ].filter((x): x is string => x !== null);
  const lab = useLabStates([device.id], 0, 'device');
  return (
    <div className="lab-title">
      <h2 data-testid="device-title">
        <a href={`#/samples?chip=${device.chipId}`}>
          {device.sampleName} / {device.chipName}
        </a>{' '}
        / {device.name}
      </h2>
      <span className="muted small-text">{meta.join(' · ')}</span>
      {lab.configured && <LabStateBadge state={lab.states.get(device.id)} />}
      <span className="spacer" />
      {device.runs > 0 && (
        <button
          type="button"
          title="Every run of this device as one Parquet file: one row per sample with run and device columns, the column units in its metadata (pandas, polars, DuckDB)"
          onClick={() =>
            act(
              host.call('runs.exportParquet', { deviceId: device.id }).then((x) => saveFile(x.filename, x.bytes, 'application/vnd.apache.parquet')),
              () => undefined,
            )
          }
        >
          Export runs (Parquet)
        </button>
      )}
      {device.kind === 'physical' && (
        <>
          <button type="button" onClick={() => act(host.call('samples.devices.update', { id: device.id, archived: device.archivedAt === null }), onChanged)}>
            {device.archivedAt === null ? 'Archive' : 'Restore'}
          </button>
          {confirming ? (
            <span className="confirm-inline">
              Delete device {device.name}?{' '}
              <button type="button" className="danger" onClick={() => act(host.call('samples.devices.delete', { id: device.id }), () => navigate('samples', { chip: device.chipId }))}>
                Delete
              </button>{' '}
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} title="Only a device without runs can be deleted; archive one with runs">
              Delete…
            </button>
          )}
        </>
      )}
      {error && (
        <p className="error-text small-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
