import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/contract';

/**
 * The renderer's only way to the host. Two adapters implement it — the Electron preload bridge and
 * the web host's WebSocket — and no page knows which one it has.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface HostClient {
  readonly kind: 'desktop' | 'web';
  /** Resolves with the result, or rejects with a HostError that keeps the contract's error code. */
  call<N extends RequestName>(method: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** The link to the host (the WebSocket can drop and come back; IPC is always open). */
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}
