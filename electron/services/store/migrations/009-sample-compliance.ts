/**
 * Migration 9: each sample records whether the source was in compliance when its current was
 * measured (#13: I–V sweeps under a current compliance, on a simulated device or an instrument).
 *
 * sample_chunks.compliance: one byte per sample of the chunk (1 in compliance, 0 not), like the
 * kind column; NULL when no sample of the chunk was — every chunk stored before this migration, and
 * every chunk of pulses and reads — which reads back as all 0.
 */
export const version = 9;
export const name = 'sample-compliance';

export const sql = /* sql */ `
ALTER TABLE sample_chunks ADD COLUMN compliance BLOB;
`;
