import { useRequest } from '../api/context';

/** The current experiment, chosen at the top; new runs are filed under it. */
export function ExperimentPicker({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const experiments = useRequest('experiments.list', {});
  const list = experiments.status === 'ready' ? experiments.value : [];
  return (
    <label className="experiment-picker">
      <span>Experiment</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} aria-label="Current experiment">
        <option value="">All experiments</option>
        {list.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name} ({x.runCount})
          </option>
        ))}
      </select>
    </label>
  );
}
