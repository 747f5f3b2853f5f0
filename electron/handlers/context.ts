import type { AppInfo } from '../../shared/contract';
import type { EventBus } from '../router';
import type { Store } from '../services/store';

/** What handlers may use: the services of one data folder. */
export interface HandlerContext {
  store: Store;
  bus: EventBus;
  info: AppInfo;
}
