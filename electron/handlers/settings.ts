import type { settingsRequests } from '../../shared/contract/areas/settings';
import type { Handlers } from '../router';
import { ServiceError } from '../services/errors';
import { ReportLimiter } from '../services/logs';
import type { HandlerContext } from './context';

type SettingsHandlers = Pick<Handlers, keyof typeof settingsRequests>;

/** Settings, backups and logs: the housekeeping area (services in electron/services/{settings,backups,logs}). */
export function settingsHandlers({ settings, backups, logs, logger, info, openPath }: HandlerContext): SettingsHandlers {
  const reports = new ReportLimiter();
  const renderer = logger.child('renderer');
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'settings.openDataFolder': async () => {
      if (!openPath) {
        throw new ServiceError('unavailable', 'Opening the data folder needs the desktop app; in the web host, copy its path instead.');
      }
      const problem = await openPath(info.dataDir);
      if (problem) throw new ServiceError('unavailable', `The data folder could not be opened: ${problem}`);
      return { path: info.dataDir };
    },

    'backups.list': () => ({ folder: backups.folder, backups: backups.list(), nextScheduledAt: backups.nextScheduledAt() }),
    'backups.create': () => backups.create('manual'),
    'backups.restore': ({ name }) => backups.restore(name),

    'logs.tail': ({ lines, minLevel, search }) => logs.tail({ lines: lines ?? 200, ...(minLevel ? { minLevel } : {}), ...(search ? { search } : {}) }),
    'logs.report': ({ kind, message, stack, where, page }) => {
      const gate = reports.take();
      if (!gate.allowed) return { logged: false };
      renderer.log('error', `${kind === 'unhandledrejection' ? 'unhandled rejection' : 'uncaught error'} in the window: ${message}`, {
        ...(stack ? { stack } : {}),
        ...(where ? { where } : {}),
        ...(page ? { page } : {}),
        ...(gate.dropped > 0 ? { droppedBefore: gate.dropped } : {}),
      });
      return { logged: true };
    },
  };
}
