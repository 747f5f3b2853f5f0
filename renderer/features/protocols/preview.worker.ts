/**
 * The preview worker: compiles and simulates documents off the page's thread, so typing stays
 * smooth whatever the protocol's size. One request at a time; the traces travel as transferred
 * buffers, not copies.
 */
import { computePreview, transferables, type PreviewRequest } from './preview-compute';

interface WorkerScope {
  onmessage: ((e: MessageEvent<PreviewRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const result = computePreview(e.data);
  scope.postMessage(result, transferables(result));
};
