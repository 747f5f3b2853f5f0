/** Requests and events of the protocols area (filled in by the work on that area). */
export const protocolRequests = {} as const;

export const protocolEvents = {} as const;
