/**
 * The Archive's filters for protocol runs. Every filter goes to the store with `runs.list` (so the
 * total and the pages are those of the whole archive, not of the page at hand); the device,
 * protocol and tag choices are what the archive holds (`runs.facets`).
 */
import type { RequestInput, RequestOutput, RunStatus } from '../../../shared/contract';
import { runStatuses } from '../../../shared/contract';

export interface RunFilterState {
  search: string;
  /** Experiment id, '' for all. */
  experiment: string;
  status: RunStatus | '';
  tag: string;
  /** '', a device kind ('simulated'), or a kind and a name ('simulated:intrinsic-gradient'). */
  device: string;
  /** A protocol name, '' for any. */
  protocol: string;
  /** Local calendar days (YYYY-MM-DD from a date input), both inclusive; '' for open-ended. */
  from: string;
  to: string;
}

export const NO_FILTERS: RunFilterState = { search: '', experiment: '', status: '', tag: '', device: '', protocol: '', from: '', to: '' };

export function isFiltered(f: RunFilterState): boolean {
  return (Object.keys(NO_FILTERS) as (keyof RunFilterState)[]).some((k) => f[k] !== '');
}

/** Why the dates cannot be used, in a sentence; null when they can. */
export function datesProblem(f: RunFilterState): string | null {
  return f.from && f.to && f.to < f.from ? '“To” is before “From”: choose a later day.' : null;
}

/** The start of a local calendar day, as the instant the store compares with. */
function startOfDay(day: string, plusDays = 0): string {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

type ListFilter = Omit<RequestInput<'runs.list'>, 'limit' | 'offset'>;

/**
 * The `runs.list` filter for the state: blank fields left out, days turned into instants (“To”
 * includes its day). Days in the wrong order are sent as they are: the host refuses them, and the
 * page shows datesProblem at the fields rather than a list that ignores them.
 */
export function listFilter(f: RunFilterState): ListFilter {
  const search = f.search.trim();
  const tag = f.tag.trim();
  const cut = f.device.indexOf(':');
  const kind = (cut < 0 ? f.device : f.device.slice(0, cut)) as 'simulated' | 'instrument';
  return {
    ...(search ? { search } : {}),
    ...(f.experiment ? { experimentId: f.experiment } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(tag ? { tag } : {}),
    ...(f.device ? { device: cut < 0 ? { kind } : { kind, name: f.device.slice(cut + 1) } } : {}),
    ...(f.protocol ? { protocol: f.protocol } : {}),
    ...(f.from ? { createdFrom: startOfDay(f.from) } : {}),
    ...(f.to ? { createdTo: startOfDay(f.to, 1) } : {}),
  };
}

type Facets = RequestOutput<'runs.facets'>;
type Experiments = RequestOutput<'experiments.list'>;

const KIND_TITLE: Record<string, string> = { simulated: 'Simulated', instrument: 'Instrument' };

function DeviceOptions({ facets, value }: { facets: Facets | null; value: string }) {
  const kinds = new Map<string, { total: number; names: { name: string; runs: number }[] }>();
  for (const d of facets?.devices ?? []) {
    const k = kinds.get(d.kind) ?? { total: 0, names: [] };
    k.total += d.runs;
    if (d.name !== null) k.names.push({ name: d.name, runs: d.runs });
    kinds.set(d.kind, k);
  }
  const known = new Set<string>();
  const groups = [...kinds].map(([kind, k]) => {
    known.add(kind);
    for (const n of k.names) known.add(`${kind}:${n.name}`);
    return (
      <optgroup key={kind} label={KIND_TITLE[kind] ?? kind}>
        <option value={kind}>
          Any {kind} ({k.total})
        </option>
        {k.names.map((n) => (
          <option key={n.name} value={`${kind}:${n.name}`}>
            {n.name} ({n.runs})
          </option>
        ))}
      </optgroup>
    );
  });
  return (
    <>
      <option value="">Any device</option>
      {/* A choice the archive no longer holds (deleted, or another experiment's) stays visible while chosen. */}
      {value && !known.has(value) && <option value={value}>{value.replace(':', ': ')} (0)</option>}
      {groups}
    </>
  );
}

interface Props {
  value: RunFilterState;
  onChange: (patch: Partial<RunFilterState>) => void;
  experiments: Experiments | null;
  facets: Facets | null;
}

export function RunFilters({ value: f, onChange, experiments, facets }: Props) {
  const problem = datesProblem(f);
  const protocols = facets?.protocols ?? [];
  return (
    <div className="archive-filters" role="search" aria-label="Filter protocol runs">
      <input type="search" aria-label="Search runs" placeholder="Search name, notes, protocol…" value={f.search} onChange={(e) => onChange({ search: e.target.value })} />
      <select aria-label="Experiment" value={f.experiment} onChange={(e) => onChange({ experiment: e.target.value })}>
        <option value="">All experiments</option>
        {experiments?.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name} ({x.runCount})
          </option>
        ))}
      </select>
      <select aria-label="Device" value={f.device} onChange={(e) => onChange({ device: e.target.value })}>
        <DeviceOptions facets={facets} value={f.device} />
      </select>
      <select aria-label="Protocol" value={f.protocol} onChange={(e) => onChange({ protocol: e.target.value })}>
        <option value="">Any protocol</option>
        {f.protocol && !protocols.some((p) => p.name === f.protocol) && <option value={f.protocol}>{f.protocol} (0)</option>}
        {protocols.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name} ({p.runs}
            {p.versions > 1 ? `, ${p.versions} versions` : ''})
          </option>
        ))}
      </select>
      <input aria-label="Tag" placeholder="Tag" list="archive-tags" value={f.tag} onChange={(e) => onChange({ tag: e.target.value })} />
      <datalist id="archive-tags">
        {facets?.tags.map((t) => (
          <option key={t.tag} value={t.tag}>
            {t.runs} runs
          </option>
        ))}
      </datalist>
      <select aria-label="Status" value={f.status} onChange={(e) => onChange({ status: e.target.value as RunStatus | '' })}>
        <option value="">Any status</option>
        {runStatuses.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <label className="archive-date">
        From <input type="date" aria-label="Created from" value={f.from} max={f.to || undefined} aria-invalid={problem !== null} onChange={(e) => onChange({ from: e.target.value })} />
      </label>
      <label className="archive-date">
        To <input type="date" aria-label="Created to" value={f.to} min={f.from || undefined} aria-invalid={problem !== null} aria-describedby={problem ? 'archive-date-problem' : undefined} onChange={(e) => onChange({ to: e.target.value })} />
      </label>
      {isFiltered(f) && (
        <button type="button" className="small" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
      {problem && (
        <p className="error-text archive-filter-problem" id="archive-date-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
