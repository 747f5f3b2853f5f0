// A field's path is written the contract's one way: "strategies[2].alpha".
import { formatPath } from '../../contract/issues';
import { experimentSchema, type Experiment } from './schema';

export interface ExperimentProblem {
  /** Where, e.g. "strategies[2].alpha" ("" for the document as a whole). */
  path: string;
  /** One sentence naming the field and what it must be. */
  message: string;
}

export type ExperimentParseResult = { ok: true; experiment: Experiment } | { ok: false; problems: ExperimentProblem[] };

/** Validates a parsed JSON value as an experiment, filling in defaults. Never throws. */
export function parseExperiment(value: unknown): ExperimentParseResult {
  try {
    const result = experimentSchema.safeParse(value);
    if (result.success) return { ok: true, experiment: result.data };
    return { ok: false, problems: result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })) };
  } catch (error) {
    // A validator bug must not take the caller down; report it as a problem with the document.
    return { ok: false, problems: [{ path: '', message: `the experiment could not be checked: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

/** Parses JSON text, then validates it. Never throws. */
export function parseExperimentText(text: string): ExperimentParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return parseExperiment(value);
}

/** One line for a CLI or a status bar: the first problem, and how many more there are. */
export function summariseProblems(problems: readonly ExperimentProblem[]): string {
  const first = problems[0];
  if (!first) return 'no problems';
  const head = first.path ? `${first.path}: ${first.message}` : first.message;
  return problems.length > 1 ? `${head} (and ${problems.length - 1} more ${problems.length === 2 ? 'problem' : 'problems'})` : head;
}
