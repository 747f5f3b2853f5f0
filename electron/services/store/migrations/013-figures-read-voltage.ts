/**
 * Migration 13: the per-run figures of the device archive (run_figures, run_cycles: what
 * `workbench stats`, the timeline and the chip map read) took HRS and LRS at 0.1 V for every run,
 * while `workbench analyze` takes them at the read voltage of the run's device preset. They now use
 * the same extraction options; the runs whose preset reads at another voltage have their figures
 * computed again (lazily, as any pending run's are, the next time a view needs them).
 */
export const version = 13;
export const name = 'figures-read-voltage';

export const sql = /* sql */ `
INSERT OR IGNORE INTO pending_figures (run_id)
  SELECT id FROM runs
  WHERE id IN (SELECT run_id FROM run_figures)
    AND json_type(device_json, '$.presetDocument.readVoltage') IN ('real', 'integer')
    AND json_extract(device_json, '$.presetDocument.readVoltage') <> 0.1;
`;
