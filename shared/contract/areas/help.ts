import { z } from 'zod';

/** The user guide ships in resources/help as Markdown, so the app can show it offline. */
export const HelpPageInfo = z.object({ id: z.string(), title: z.string() });

export const helpRequests = {
  'help.pages': { input: z.strictObject({}), output: z.array(HelpPageInfo) },
  'help.page': {
    input: z.strictObject({ id: z.string().max(64, 'must be a page id').regex(/^[a-z0-9-]{1,64}$/, 'must be a page id such as "user-guide"') }),
    output: z.object({ id: z.string(), title: z.string(), markdown: z.string() }),
  },
} as const;
