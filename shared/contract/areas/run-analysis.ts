import { z } from 'zod';
import { uuid } from '../domain';

/**
 * 'runs.analysis': the switching figures of a run (#13; shared/analysis explains how each is
 * taken). Resistances in Ω, currents in A, voltages in V; null where a cycle did not switch or a
 * figure could not be measured.
 */
const num = z.number().nullable();
const Figures = z.object({ vSet: num, vReset: num, hrs: num, lrs: num });

export const CycleFiguresSchema = z.object({
  index: z.number().int().min(0),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  set: z.boolean(),
  reset: z.boolean(),
  vSet: num,
  vReset: num,
  hrs: num,
  lrs: num,
  onOff: num,
  maxSetCurrent: num,
  setInCompliance: z.boolean().nullable(),
});

export const SwitchingAnalysisSchema = z.object({
  cycles: z.array(CycleFiguresSchema),
  complianceSet: num,
  onOff: z.object({ median: num, min: num, max: num }),
  cv: Figures,
  median: Figures,
  read: z.object({ voltage: num, from: z.enum(['reads', 'sweep', 'mixed']).nullable() }),
  failed: z.number().int().min(0),
  unpaired: z.number().int().min(0),
});

export const runAnalysisRequest = {
  input: z.strictObject({ id: uuid }),
  output: z.object({
    runId: uuid,
    sampleCount: z.number().int().min(0),
    computedAt: z.string(),
    stored: z.boolean(),
    analysis: SwitchingAnalysisSchema,
  }),
};
