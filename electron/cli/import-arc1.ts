import path from 'node:path';
import { arc1Text, groupSamples, parseArc1Session } from '../services/files/arc1-session';
import { readUserFile } from '../services/files/read-user-file';
import type { ImportedChip } from '../services/store/lab-files';
import { TEXT_LIMITS } from '../../shared/contract/limits';
import { defineCommand } from './command';
import { openCliServices } from './services';
import { inline } from './terminal-text';

const cut = (text: string, n: number = TEXT_LIMITS.name) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export const importArc1Command = defineCommand({
  name: 'import-arc1',
  synopsis: 'import-arc1 FILE [--chip NAME] [--data-dir D] [--json]',
  summary:
    'Import an ArC ONE session file (.csv or .csv.gz) as a new sample and chip: a device at each word/bit line the file addresses, one run per module (its tag) per device. A malformed file is refused at its line and column, and nothing is imported.',
  flags: {
    chip: { type: 'string', description: 'the chip’s name (default: the session’s name, line 1 of the file)', placeholder: 'NAME' },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print {"chipId", "devices", "runs", "sampleId", "samples"} as JSON' },
  },
  positionals: [1, 1],
  async run(flags, [file]) {
    const full = path.resolve(file as string);
    // Read and checked completely before the data folder is opened.
    const session = parseArc1Session(arc1Text(full, readUserFile(full, 'csv')));
    const base = path.basename(full);
    const chip: ImportedChip = {
      sampleName: cut(session.name),
      sampleNotes: cut(`Imported from the ArC ONE session file ${base} (session "${session.name}", ${session.date}), ${session.rows} operations.`, TEXT_LIMITS.notes),
      chipName: cut(flags.chip ?? session.name),
      experimentName: cut(`ArC ONE: ${session.name}`),
      rows: Math.max(...session.cells.map((c) => c.wordLine)) + 1,
      cols: Math.max(...session.cells.map((c) => c.bitLine)) + 1,
      devices: session.cells.map((c) => ({
        wordLine: c.wordLine,
        bitLine: c.bitLine,
        runs: c.groups.map((g, k) => ({
          name: cut(`${g.module} #${k + 1} on W${c.wordLine}B${c.bitLine}`),
          tags: ['arc1', g.module],
          notes: `ArC ONE module ${g.module}: lines ${g.rows[0]!.line}–${g.rows[g.rows.length - 1]!.line} of ${base} (${session.date}).`,
          samples: groupSamples(g),
        })),
      })),
    };
    if (chip.devices.length === 0) throw new Error(`${full} has a header but no operations: nothing to import`);
    const services = openCliServices(flags['data-dir']);
    try {
      const r = services.store.labFiles.importChip(chip);
      if (flags.json) process.stdout.write(`${JSON.stringify({ chipId: r.chipId, devices: r.devices, runs: r.runs, sampleId: r.sampleId, samples: r.samples })}\n`);
      else process.stdout.write(`imported chip "${inline(chip.chipName)}" (${r.chipId}): ${r.devices} device(s), ${r.runs} run(s), ${r.samples} samples\n`);
      return 0;
    } finally {
      await services.close();
    }
  },
});
