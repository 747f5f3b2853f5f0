import { z } from 'zod';
import { InstrumentState } from '../domain';

export const instrumentRequests = {
  'instruments.state': { input: z.strictObject({}), output: InstrumentState },
} as const;

export const instrumentEvents = {
  'instrument.state': InstrumentState,
} as const;
