import { TEXT_LIMITS } from '../contract/limits';
import { exceeds } from './defaults';
import { PROTOCOL_FORMAT, PROTOCOL_VERSION, type LimitsOf, type ProtocolDocument, type ReadSettings } from './document';
import { checkKnownFields, describeJson, isRecord, own, ProblemList, readCount, readQuantity, readText, type JsonObject } from './fields';
import { LIMIT_INFO, LIMIT_NAMES, describeLimit, formatLimit, workbenchLimits, type LimitName, type SafetyLimits } from './limits';
import { childPath, type Problem } from './problems';
import { readDefaults } from './reads';
import { checkBounds } from './tally';
import { describeTotal, validateBlocks, validateReadSettings, type BlockContext } from './validate-blocks';

export interface ValidateOptions {
  /**
   * The workbench's own limits (from Settings), over DEFAULT_LIMITS. A document may tighten them
   * with its `limits`, never loosen them.
   */
  limits?: Partial<SafetyLimits>;
}

export type ValidationResult =
  | { ok: true; document: ProtocolDocument; limits: SafetyLimits; problems: [] }
  | { ok: false; problems: Problem[] };

const TOP_LEVEL_FIELDS = ['format', 'version', 'name', 'description', 'limits', 'read', 'blocks'];

/**
 * Checks a protocol document and normalises it (every value a number in SI base units). Returns
 * every problem found, each with its path, the safety limits included; never throws, whatever
 * the input.
 */
export function validateProtocol(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const problems = new ProblemList();
  const ceiling = workbenchLimits(options.limits);
  if (!isRecord(input)) {
    problems.add('', 'type', `a protocol must be a JSON object with format, version, name and blocks; got ${describeJson(input)}`);
    return { ok: false, problems: problems.items };
  }
  checkFormat(problems, input);
  checkKnownFields(problems, input, '', TOP_LEVEL_FIELDS, 'a protocol');
  const name = readText(problems, input, 'name', '', { required: true, max: TEXT_LIMITS.name });
  const description = readText(problems, input, 'description', '', { required: false, max: TEXT_LIMITS.description });
  const { limits, written } = readLimits(problems, own(input, 'limits'), ceiling);

  const ctx: BlockContext = { problems, limits, readDefaults: readDefaults(undefined), ids: new Map(), once: new Set() };
  const read = readDocumentReadSettings(ctx, own(input, 'read'));
  // A voltage the document sets is checked where it is written.
  if (isRecord(own(input, 'read')) && own(own(input, 'read') as JsonObject, 'voltage') !== undefined) ctx.once.add('default-read-voltage');
  const blockCtx: BlockContext = { ...ctx, readDefaults: readDefaults(read) };
  const { blocks, tally } = validateBlocks(blockCtx, own(input, 'blocks'), 'blocks');

  if (tally.pulses > limits.maxPulses && !ctx.once.has('maxPulses')) {
    problems.add('blocks', 'limit', `the protocol applies ${describeTotal(tally.pulses, tally.exact, 'pulses')}, more than ${describeLimit('maxPulses', limits.maxPulses)}`);
  }
  if (tally.reads > limits.maxReads && !ctx.once.has('maxReads')) {
    problems.add('blocks', 'limit', `the protocol takes ${describeTotal(tally.reads, tally.exact, 'reads')}, more than ${describeLimit('maxReads', limits.maxReads)}`);
  }
  // The workbench's own bounds, for the blocks together when no one block broke them.
  checkBounds(problems, tally, 'blocks', 'the protocol');

  if (problems.items.length > 0 || name === undefined) return { ok: false, problems: problems.items };
  const document: ProtocolDocument = {
    format: PROTOCOL_FORMAT,
    version: PROTOCOL_VERSION,
    name,
    ...(description === undefined ? {} : { description }),
    ...(written === undefined ? {} : { limits: written }),
    ...(read === undefined ? {} : { read }),
    blocks,
  };
  return { ok: true, document, limits, problems: [] };
}

/** Reads JSON text and validates it; a syntax error is a problem like any other. */
export function parseProtocolJson(text: string, options: ValidateOptions = {}): ValidationResult {
  let value: unknown;
  try {
    // A byte-order mark (Windows editors write one) is not part of the JSON.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, problems: [{ path: '', code: 'type', message: `this is not valid JSON: ${detail}` }] };
  }
  return validateProtocol(value, options);
}

function checkFormat(problems: ProblemList, input: JsonObject): void {
  const format = own(input, 'format');
  if (format === undefined) problems.add('format', 'format', `missing format: a protocol says "format": "${PROTOCOL_FORMAT}"`);
  else if (format !== PROTOCOL_FORMAT) problems.add('format', 'format', `format is ${describeJson(format)}, not '${PROTOCOL_FORMAT}': this is not a workbench protocol`);
  const version = own(input, 'version');
  if (version === undefined) problems.add('version', 'format', `missing version: this workbench reads version ${PROTOCOL_VERSION}`);
  else if (typeof version === 'number' && Number.isInteger(version) && version > PROTOCOL_VERSION) {
    problems.add('version', 'format', `version ${version} was written by a newer workbench; this one reads version ${PROTOCOL_VERSION}`);
  } else if (version !== PROTOCOL_VERSION) problems.add('version', 'format', `version must be ${PROTOCOL_VERSION}; got ${describeJson(version)}`);
}

/** The document's own limits, each checked against the workbench's; returns the effective ones. */
function readLimits(problems: ProblemList, raw: unknown, ceiling: SafetyLimits): { limits: SafetyLimits; written?: LimitsOf<number> } {
  const limits = { ...ceiling };
  if (raw === undefined) return { limits };
  if (!isRecord(raw)) {
    problems.add('limits', 'type', `limits must be an object such as {"maxVoltage": "3 V"}; got ${describeJson(raw)}`);
    return { limits };
  }
  checkKnownFields(problems, raw, 'limits', LIMIT_NAMES, 'limits');
  const written: LimitsOf<number> = {};
  for (const name of LIMIT_NAMES) {
    const value = readLimit(problems, raw, name);
    if (value === undefined) continue;
    if (exceeds(value, ceiling[name])) {
      problems.add(
        childPath('limits', name),
        'limit',
        `${name} ${formatLimit(name, value)} is above ${describeLimit(name, ceiling[name]).replace('the limit', "the workbench's limit")}; a protocol may tighten the limits, not loosen them`,
      );
      continue;
    }
    written[name] = value;
    limits[name] = Math.min(value, ceiling[name]);
  }
  return { limits, written };
}

function readLimit(problems: ProblemList, raw: JsonObject, name: LimitName): number | undefined {
  const { unit } = LIMIT_INFO[name];
  if (unit === 'count') return readCount(problems, raw, name, 'limits', { required: false });
  const value = readQuantity(problems, raw, name, 'limits', { unit: unit === 'ratio' ? '' : unit, required: false, sign: 'positive' });
  if (value !== undefined && unit === 'ratio' && value > 1) {
    problems.add(childPath('limits', name), 'range', `${name} is a fraction of the period and cannot exceed 100 %; got ${formatLimit(name, value)}`);
    return undefined;
  }
  return value;
}

function readDocumentReadSettings(ctx: BlockContext, raw: unknown): ReadSettings | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    ctx.problems.add('read', 'type', `read must be read settings such as {"voltage": "0.1 V", "integration": "1 ms"}; got ${describeJson(raw)}`);
    return undefined;
  }
  return validateReadSettings(ctx, raw, 'read');
}
