/**
 * What a control request (pause, resume, stop, abort) does to a run the engine holds, in the style
 * of Bluesky's RunEngine: it is recorded on the job, the run's own loop acts on it at its next safe
 * point, and the request resolves once the run has reacted (or after `waitMs`). A queued run that
 * is stopped never reaches here: the engine takes it off its queue.
 */
import { isTerminalRunStatus } from '../../../shared/contract';
import { RunEngineError } from './errors';
import type { Job } from './job';

export type RunAction = 'pause' | 'resume' | 'stop' | 'abort';

/** Records `action` on the running (or paused) job and waits for the run to react. */
export async function requestControl(job: Job, action: RunAction, waitMs: number, outputOffNow: () => void): Promise<void> {
  const status = job.status;
  switch (action) {
    case 'pause':
      if (status === 'paused') return;
      if (status !== 'running') throw conflict(job, action);
      if (job.request === 'none') {
        job.request = 'pause';
        job.pauseReason = 'paused by the user';
        job.wake();
      }
      await job.waitFor((s) => s !== 'running', waitMs);
      return;
    case 'resume':
      if (status === 'running' && job.request !== 'pause') return;
      if (status !== 'paused' && !(status === 'running' && job.request === 'pause')) throw conflict(job, action);
      job.request = 'resume';
      job.wake();
      await job.waitFor((s) => s === 'running' && job.request !== 'resume', waitMs);
      return;
    case 'stop':
    case 'abort': {
      if (isTerminalRunStatus(status)) throw conflict(job, action);
      if (job.request !== 'abort') job.request = action;
      job.abortOpen.abort();
      job.wake();
      if (action === 'abort') outputOffNow();
      await job.waitFor(isTerminalRunStatus, waitMs);
      return;
    }
    default:
      throw new RunEngineError('invalid_request', `unknown action ${String(action)}`);
  }
}

function conflict(job: Job, action: RunAction): RunEngineError {
  return new RunEngineError('conflict', `Run "${job.name}" is ${job.status}; it cannot ${action}.`);
}
