/** Requests and events of the rl area (filled in by the work on that area). */
export const rlRequests = {} as const;

export const rlEvents = {} as const;
