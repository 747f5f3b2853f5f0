import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentSettings, ExperimentInput, MazeDefinition } from '../../../shared/rl';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const paperFile = path.join(repoRoot, 'resources', 'experiments', 'paper.json');

/** The shipped paper experiment as raw JSON (a fresh copy each call, safe to mutate). */
export function paperJson(): ExperimentInput & Record<string, unknown> {
  return JSON.parse(readFileSync(paperFile, 'utf8')) as ExperimentInput & Record<string, unknown>;
}

/** A small maze with one wall: the shortest path from S to G is 5 steps. */
export const smallLayout = ['S..#', '.#..', '...G'];

export function smallMaze(overrides: Partial<MazeDefinition> = {}): MazeDefinition {
  return { layout: smallLayout, rewards: { step: -1, goal: 10, wall: -1 }, stepCap: 50, slip: 0, ...overrides };
}

export function agentSettings(overrides: Partial<AgentSettings> = {}): AgentSettings {
  return { algorithm: 'q-learning', gamma: 0.95, epsilon: { kind: 'constant', value: 0.1 }, initialQ: 0, ...overrides };
}
