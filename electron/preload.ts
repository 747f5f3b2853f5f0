import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { requestNames } from '../shared/contract/requests';

/**
 * The renderer's whole view of Electron: one function per contract request and one event feed.
 * Never ipcRenderer itself, so a compromised page can send nothing the contract does not name.
 */
const requests = Object.fromEntries(requestNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke('wb:request', name, input)]));

contextBridge.exposeInMainWorld('workbench', {
  requests,
  onEvent(listener: (name: string, payload: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on('wb:event', handler);
    return () => ipcRenderer.removeListener('wb:event', handler);
  },
});
