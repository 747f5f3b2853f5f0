import { z } from 'zod';
import { AppInfo } from '../domain';

export const appRequests = {
  'app.info': { input: z.strictObject({}), output: AppInfo },
} as const;
