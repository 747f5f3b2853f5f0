import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS, FILE_LIMITS, LIST_LIMITS, MAX_WIRE_MESSAGE, PROTOCOL_BOUNDS, QUEUE_LIMITS, RL_BOUNDS, TEXT_LIMITS, TRACE_TEXT_LIMIT } from '../../../shared/contract/limits';
import { DEFAULT_LIMITS, MAX_NESTING } from '../../../shared/protocol';
import { formatCount } from '../../../shared/units';
import { formatFileSize } from '../../../electron/services/files/read-user-file';

/** README's Limits section and Help's Limits page print one table: the numbers in limits.ts. */
const root = path.resolve(import.meta.dirname, '..', '..', '..');

function table(markdown: string): Map<string, string> {
  const rows = markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('| What'));
  return new Map(rows.map((l) => l.split('|').map((c) => c.trim())).map((cells) => [cells[1]!, cells[2]!]));
}

function readmeSection(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## Limits');
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

describe('the limits table', () => {
  it('is the same in README and in Help', () => {
    const help = readFileSync(path.join(root, 'resources', 'help', 'limits.md'), 'utf8');
    expect([...table(readmeSection())]).toEqual([...table(help)]);
  });

  it('says what shared/contract/limits.ts says', () => {
    const t = table(readmeSection());
    const chars = (n: number) => `${formatCount(n)} characters`;
    const expected: [string, (cell: string) => boolean][] = [
      ['Name of a run, experiment, protocol or RL run', (c) => c === chars(TEXT_LIMITS.name)],
      ['Tag', (c) => c === `${chars(TEXT_LIMITS.tag)}, at most ${LIST_LIMITS.tags} tags`],
      ['Description of a protocol or experiment', (c) => c === chars(TEXT_LIMITS.description)],
      ['Notes of a run', (c) => c === chars(TEXT_LIMITS.notes)],
      ['Search text', (c) => c === chars(TEXT_LIMITS.search)],
      ['File or port path', (c) => c === chars(TEXT_LIMITS.path)],
      ['JSON document in a request (protocol, preset, experiment, instrument settings)', (c) => c === `${chars(DOCUMENT_LIMITS.characters)} of JSON, ${DOCUMENT_LIMITS.depth} levels deep`],
      ['Measured trace sent for fitting (CSV text)', (c) => c === formatFileSize(TRACE_TEXT_LIMIT)],
      ['One message to the web host', (c) => c === formatFileSize(MAX_WIRE_MESSAGE)],
      ['Protocol file', (c) => c === formatFileSize(FILE_LIMITS.protocol)],
      ['Device preset file', (c) => c === formatFileSize(FILE_LIMITS.preset)],
      ['RL experiment file', (c) => c === formatFileSize(FILE_LIMITS.experiment)],
      ['CSV file', (c) => c === formatFileSize(FILE_LIMITS.csv)],
      ['Experiment bundle file', (c) => c.startsWith(`${formatFileSize(FILE_LIMITS.bundle)} `) && c.includes(formatFileSize(MAX_WIRE_MESSAGE))],
      ['Protocol time of one protocol', (c) => c === `${PROTOCOL_BOUNDS.maxDurationS / 86_400} days`],
      ['Operations of one protocol (pulses, reads, waits; each block at least once each time it runs)', (c) => c === formatCount(PROTOCOL_BOUNDS.maxOperations)],
      [
        'Samples of one protocol (pulses and reads)',
        (c) => c.startsWith(`${formatCount(PROTOCOL_BOUNDS.maxSamples)} `) && c.includes(formatCount(DEFAULT_LIMITS.maxPulses)) && c.includes(formatCount(DEFAULT_LIMITS.maxReads)),
      ],
      ['Nesting of repeat, sweep and until blocks', (c) => c === `${MAX_NESTING} levels`],
      ['Runs waiting in the queue', (c) => c.startsWith(`${formatCount(QUEUE_LIMITS.runs)}, whose protocols hold at most ${formatCount(QUEUE_LIMITS.steps)} compiled steps in all `)],
      [
        "Work of one RL request (an experiment run, a lab sweep, a device run, a tuning): seeds × strategies (a tuning's candidates) × Σ over environments of episode cap × step cap",
        (c) => c.startsWith(`${formatCount(RL_BOUNDS.agentSteps)} agent steps `),
      ],
    ];
    expect([...t.keys()]).toEqual(expected.map(([k]) => k));
    for (const [label, ok] of expected) expect(ok(t.get(label)!), `${label}: ${t.get(label)}`).toBe(true);
  });

  it("the user guide's sentence on the RL work bound gives the bound in limits.ts", () => {
    const guide = readFileSync(path.join(root, 'resources', 'help', 'user-guide.md'), 'utf8').replace(/\s+/g, ' ');
    expect(guide).toContain(`at most ${formatCount(RL_BOUNDS.agentSteps)} agent steps`);
  });
});
