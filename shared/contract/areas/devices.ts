/** Requests and events of the devices area (filled in by the work on that area). */
export const deviceRequests = {} as const;

export const deviceEvents = {} as const;
