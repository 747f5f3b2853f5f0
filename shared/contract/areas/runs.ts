/** Requests and events of the runs area (filled in by the work on that area). */
export const runRequests = {} as const;

export const runEvents = {} as const;
