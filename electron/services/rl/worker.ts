// A worker thread of the RL pool: it holds one experiment and runs the jobs it is sent with the
// same pure runner the main thread would use, so results do not depend on where they ran.
import { parentPort } from 'node:worker_threads';
import { runJob, type Experiment } from '../../../shared/rl';
import { transferList, type FromWorker, type ToWorker } from './messages';

const port = parentPort;
if (!port) throw new Error('electron/services/rl/worker.ts must run in a worker thread');

let experiment: Experiment | null = null;

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    experiment = message.experiment;
    return;
  }
  let reply: FromWorker;
  try {
    if (!experiment) throw new Error('worker received a job before its experiment');
    reply = { type: 'result', index: message.index, result: runJob(experiment, message.job) };
  } catch (error) {
    reply = { type: 'error', index: message.index, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, reply.type === 'result' ? transferList(reply.result) : []);
});
