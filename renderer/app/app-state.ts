import { createContext, useContext } from 'react';
import type { AppInfo } from '../../shared/contract';

/** State every page may need: the current experiment and what the host told us about itself. */
export interface AppState {
  experimentId: string | null;
  setExperimentId: (id: string | null) => void;
  info: AppInfo | null;
  /** Opens the keyboard shortcut sheet (also opened with ?). */
  showShortcuts: () => void;
}

const AppStateContext = createContext<AppState | null>(null);
export const AppStateProvider = AppStateContext.Provider;

export function useAppState(): AppState {
  const s = useContext(AppStateContext);
  if (!s) throw new Error('useAppState outside AppStateProvider');
  return s;
}
