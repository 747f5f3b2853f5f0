import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** The pages of the left rail, in order. Each page is its own chunk, loaded when first opened. */
export interface Route {
  id: string;
  label: string;
  icon: string;
  component: LazyExoticComponent<ComponentType>;
  /** Reachable by its address (and links) but not listed in the rail. */
  hidden?: boolean;
}

export const routes: readonly Route[] = [
  { id: 'protocols', label: 'Protocols', icon: 'protocols', component: lazy(() => import('../pages/ProtocolsPage')) },
  { id: 'devices', label: 'Devices', icon: 'devices', component: lazy(() => import('../pages/DevicesPage')) },
  { id: 'live', label: 'Live', icon: 'live', component: lazy(() => import('../pages/LivePage')) },
  { id: 'rl', label: 'RL', icon: 'rl', component: lazy(() => import('../pages/RlPage')) },
  { id: 'archive', label: 'Archive', icon: 'archive', component: lazy(() => import('../pages/ArchivePage')) },
  { id: 'samples', label: 'Samples', icon: 'samples', component: lazy(() => import('../pages/SamplesPage')) },
  { id: 'instruments', label: 'Instruments', icon: 'instruments', component: lazy(() => import('../pages/InstrumentsPage')) },
  { id: 'settings', label: 'Settings', icon: 'settings', component: lazy(() => import('../pages/SettingsPage')) },
  { id: 'help', label: 'Help', icon: 'help', component: lazy(() => import('../pages/HelpPage')) },
  { id: 'logs', label: 'Logs', icon: 'help', component: lazy(() => import('../pages/LogsPage')), hidden: true },
];

export const defaultRoute = 'protocols';
