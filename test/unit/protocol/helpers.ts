import { readFileSync, readdirSync } from 'node:fs';
import { compileProtocol, execute, type Op, type Program, type ReadOp, type StepOp } from '../../../shared/protocol';

export const LIBRARY_DIR = new URL('../../../resources/protocols/', import.meta.url);

export function libraryFiles(): string[] {
  return readdirSync(LIBRARY_DIR).filter((f) => f.endsWith('.json')).sort();
}

export function libraryDocument(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, LIBRARY_DIR), 'utf8'));
}

/** Compiles or fails the test with the problems in the message. */
export function mustCompile(input: unknown, options: Parameters<typeof compileProtocol>[1] = {}): Program {
  const result = compileProtocol(input, options);
  if (!result.ok) throw new Error(`expected to compile:\n${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return result.program;
}

export interface DryRun {
  ops: Op[];
  /** Protocol time when the last operation ends. */
  end: number;
  pulses: number;
  reads: number;
}

/**
 * Runs a program with no device: every read returns `conductance(op, k)` (k counts reads), every
 * source–measure step `current(op, k)` (k counts pulses and steps; none: no current measured).
 */
export function dryRun(
  program: Program,
  conductance: (op: ReadOp, k: number) => number | undefined = () => 1e-5,
  current: (op: StepOp, k: number) => number | undefined = () => undefined,
): DryRun {
  const ops: Op[] = [];
  let end = 0;
  let pulses = 0;
  let reads = 0;
  const run = execute(program);
  let step = run.next();
  while (!step.done) {
    const op = step.value;
    ops.push(op);
    if (op.op === 'pulse') {
      pulses++;
      end = op.t + op.width;
      step = run.next(undefined);
    } else if (op.op === 'read') {
      const g = conductance(op, reads++);
      end = op.t + op.integration;
      step = run.next(g === undefined ? undefined : { conductance: g });
    } else if (op.op === 'step') {
      const i = current(op, pulses++);
      end = op.t + op.dwell;
      step = run.next(i === undefined ? undefined : { current: i });
    } else {
      end = op.t + op.duration;
      step = run.next(undefined);
    }
  }
  return { ops, end, pulses, reads };
}

export function doc(blocks: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { format: 'memristor-workbench/protocol', version: 1, name: 'test', ...extra, blocks };
}
