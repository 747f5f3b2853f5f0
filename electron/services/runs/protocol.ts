/**
 * A protocol made ready to run: the document as written (kept for provenance), its hash, the
 * compiled program and the program's estimate (for progress and ETA).
 */
import { createHash } from 'node:crypto';
import {
  compileProtocol,
  estimateProgram,
  type Problem,
  type Program,
  type ProgramEstimate,
  type ProtocolDocument,
  type ValidateOptions,
} from '../../../shared/protocol';

export interface PreparedProtocol {
  /** The document as written (units in strings and all), exactly what the provenance keeps. */
  source: Record<string, unknown>;
  /** SHA-256 (hex) of the canonical JSON of `source`. */
  hash: string;
  document: ProtocolDocument;
  program: Program;
  estimate: ProgramEstimate;
}

export type PrepareResult = { ok: true; protocol: PreparedProtocol } | { ok: false; problems: Problem[] };

/** Validates and compiles a protocol document; every problem (with its path) when it is not valid. */
export function prepareProtocol(source: unknown, options: ValidateOptions = {}): PrepareResult {
  const compiled = compileProtocol(source, options);
  if (!compiled.ok) return { ok: false, problems: compiled.problems };
  return {
    ok: true,
    protocol: {
      source: source as Record<string, unknown>,
      hash: protocolHash(source),
      document: compiled.document,
      program: compiled.program,
      estimate: estimateProgram(compiled.program),
    },
  };
}

/**
 * JSON with object keys sorted and no whitespace: the same document gives the same text (and the
 * same hash) however it was formatted or whichever order its fields were written in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export function protocolHash(source: unknown): string {
  return createHash('sha256').update(canonicalJson(source)).digest('hex');
}
