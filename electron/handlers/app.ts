import type { Handlers } from '../router';
import type { HandlerContext } from './context';

export function appHandlers({ info }: HandlerContext): Pick<Handlers, 'app.info'> {
  return { 'app.info': () => info };
}
