/**
 * lab.submitSimulation's input made into the spec a worker runs (#16): the app's form names a
 * library protocol or a shipped template and a preset as the pickers do; the rest is what a
 * `workbench submit --simulation` file holds and is checked by the same functions
 * (shared/lab/simulation-spec), so the app and the CLI refuse the same sweeps with the same sentences.
 */
import { summarizeProblems, type FieldProblem } from '../../shared/contract';
import type { SimulationSweepInput } from '../../shared/contract/areas/lab';
import { checkSimulationSpec, parseSimulationSweepFile, simulationSpecOf, type SimulationSpec } from '../../shared/lab/simulation-spec';
import { ServiceError } from '../services/errors';
import { listShippedProtocols, loadProtocol } from '../services/library';
import type { HandlerContext } from './context';
import { presetByName } from './devices';

const METHOD = 'lab.submitSimulation';

function refuse(problems: FieldProblem[]): never {
  throw new ServiceError('invalid_request', `${METHOD}: ${summarizeProblems(problems)}`, { problems });
}

/** The protocol's JSON text and names, from the library (this PC's store) or the shipped templates. */
function protocolOf(store: HandlerContext['store'], ref: SimulationSweepInput['protocol']): { name: string; title: string; text: string } {
  if (ref.source === 'template') {
    if (!listShippedProtocols().includes(ref.id)) throw new ServiceError('not_found', `${METHOD}: there is no shipped protocol called "${ref.id}".`);
    const loaded = loadProtocol(ref.id);
    return { name: ref.id, title: loaded.document.name, text: JSON.stringify(loaded.source) };
  }
  const record = store.protocols.get(ref.id, ref.version);
  return { name: `${record.name} (library, version ${record.version})`, title: record.name, text: JSON.stringify(record.document) };
}

/** The checked, resolved spec; refused with every problem (as FieldProblems under the request's own fields). */
export function simulationSpecFromRequest({ store }: Pick<HandlerContext, 'store'>, input: SimulationSweepInput): SimulationSpec {
  // The file's checks, with the protocol and the preset standing in by name: seeds, grid paths, noise, title, the job count.
  const parsed = parseSimulationSweepFile({
    ...(input.title === undefined ? {} : { title: input.title }),
    protocol: input.protocol.id,
    device: input.device.name,
    seeds: input.seeds,
    ...(input.noise === undefined ? {} : { noise: input.noise }),
    ...(input.grid === undefined ? {} : { grid: input.grid }),
  });
  if (!parsed.ok) refuse(parsed.problems);
  const { preset } = presetByName(store, input.device.name, input.device.origin);
  const spec = simulationSpecOf(parsed.value, protocolOf(store, input.protocol), preset);
  const problems = checkSimulationSpec(spec);
  if (problems.length > 0) refuse(problems);
  return spec;
}
