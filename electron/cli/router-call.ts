import type { RequestName, RequestOutput } from '../../shared/contract';
import type { AppServices } from '../app/app-services';

/**
 * Calls the router as the hosts do, so a command's input is checked by the contract's own schema
 * and its messages; an error envelope becomes an exception with its message.
 */
export async function call<N extends RequestName>(services: AppServices, method: N, params: unknown): Promise<RequestOutput<N>> {
  const result = await services.router.call(method, params);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as RequestOutput<N>;
}
