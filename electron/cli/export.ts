import fs from 'node:fs';
import path from 'node:path';
import type { AppServices } from '../app/app-services';
import { readUserFile } from '../services/files/read-user-file';
import { checkOutputPath } from '../services/files/write-user-file';
import { sidecarFilename } from '../services/runs/export';
import { UsageError } from './args';
import { defineCommand } from './command';
import { call } from './router-call';
import { openCliServices } from './services';
import { inline } from './terminal-text';

export const dataDirFlag = {
  type: 'string',
  description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)',
  placeholder: 'D',
} as const;

export async function withServices<T>(dataDir: string | undefined, fn: (services: AppServices) => Promise<T>): Promise<T> {
  const services = openCliServices(dataDir);
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** Writes a new file; an existing one is refused rather than overwritten. */
export function writeNew(file: string, data: string | Uint8Array): void {
  try {
    fs.writeFileSync(file, data, { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${file} already exists; choose another --out`);
    throw new Error(`cannot write ${file}: ${(e as Error).message}`);
  }
}

export const exportCommand = defineCommand({
  name: 'export',
  synopsis: 'export RUN|--device ID --format csv|json|parquet [--out FILE] [--sidecar FILE] [--comments] [--data-dir D]',
  summary:
    'Export a run (its id, or the first characters of it) as a tidy CSV table with a JSON provenance sidecar, or as JSON; or a run or every run of a device as one Parquet file (run_id and device_id columns, units in its metadata).',
  flags: {
    format: {
      type: 'string',
      description: 'csv (one header line t_s,v_V,i_A,g_S,kind,width_s,pulse,cycle,block,compliance, one row per sample), json or parquet',
      choices: ['csv', 'json', 'parquet'],
    },
    device: { type: 'string', description: 'parquet: every run of this device (its id) instead of one RUN', placeholder: 'ID' },
    out: { type: 'string', description: 'file to write (default: stdout); a CSV’s provenance goes to FILE.json beside it', placeholder: 'FILE' },
    sidecar: { type: 'string', description: 'csv: write the provenance sidecar (JSON) to this file instead (also when the CSV goes to stdout)', placeholder: 'FILE' },
    comments: { type: 'boolean', description: 'csv: also write the provenance as # lines above the header (then no sidecar unless --sidecar)' },
    'data-dir': dataDirFlag,
  },
  positionals: [0, 1],
  async run(flags, [run]) {
    if (flags.format === undefined) throw new UsageError('--format csv|json|parquet is required');
    if (flags.format === 'parquet') {
      if (flags.sidecar !== undefined || flags.comments) throw new UsageError('--sidecar and --comments are for --format csv');
      const { exportParquet } = await import('./export-parquet');
      return withServices(flags['data-dir'], (services) => exportParquet(services, run, flags.device, flags.out));
    }
    if (flags.device !== undefined) throw new UsageError('--device is for --format parquet');
    if (run === undefined) throw new UsageError('missing argument RUN (usage: workbench export RUN --format csv|json)');
    if (flags.format !== 'csv' && (flags.sidecar !== undefined || flags.comments)) throw new UsageError('--sidecar and --comments are for --format csv');
    return withServices(flags['data-dir'], async (services) => {
      const id = services.store.runs.resolveId(run as string);
      const exported = await call(services, 'runs.export', { id, format: flags.format, ...(flags.comments ? { comments: true } : {}) });
      const out = flags.out === undefined ? null : path.resolve(flags.out);
      const sidecar = exported.sidecar === null ? null : sidecarPath(out, flags.sidecar, !!flags.comments);
      if (sidecar !== null && out !== null && sidecar === out) throw new UsageError('--sidecar must name another file than --out');
      // Both files are refused before either is written, so a refusal leaves nothing half-done: one
      // that exists, and one whose folder is missing (the CSV used to be written, then its sidecar failed).
      for (const file of [out, sidecar]) {
        if (file === null) continue;
        const flag = file === out ? '--out' : '--sidecar';
        if (fs.existsSync(file)) throw new Error(`${file} already exists; choose another ${flag}`);
        checkOutputPath(file, flag);
      }
      if (out === null) process.stdout.write(exported.text);
      else {
        writeNew(out, exported.text);
        process.stderr.write(`wrote ${out}\n`);
      }
      if (sidecar !== null && exported.sidecar !== null) {
        writeNew(sidecar, exported.sidecar.text);
        process.stderr.write(`wrote ${sidecar}\n`);
      }
      return 0;
    });
  },
});

/** Where a CSV's sidecar goes: --sidecar; else FILE.json beside --out, unless the provenance is in # lines; nowhere for stdout. */
function sidecarPath(out: string | null, named: string | undefined, comments: boolean): string | null {
  if (named !== undefined) return path.resolve(named);
  if (out === null || comments) return null;
  return sidecarFilename(out);
}

export const exportBundleCommand = defineCommand({
  name: 'export-bundle',
  synopsis: 'export-bundle EXPERIMENT --out FILE [--data-dir D]',
  summary: 'Export an experiment (name or id) with its runs and samples as a portable .sqlite bundle.',
  flags: {
    out: { type: 'string', description: 'the bundle file to write (must not exist)', placeholder: 'FILE' },
    'data-dir': dataDirFlag,
    json: { type: 'boolean', description: 'print {"file", "runs", "samples"} as JSON' },
  },
  positionals: [1, 1],
  async run(flags, [experiment]) {
    if (flags.out === undefined) throw new UsageError('--out FILE is required');
    return withServices(flags['data-dir'], async (services) => {
      const ref = experiment as string;
      const exp = services.store.experiments.findByName(ref) ?? services.store.experiments.list().find((e) => e.id === ref.toLowerCase());
      if (!exp) throw new Error(`there is no experiment called '${ref}'`);
      const bundle = await call(services, 'experiments.exportBundle', { id: exp.id });
      const file = path.resolve(flags.out as string);
      writeNew(file, bundle.bytes);
      if (flags.json) process.stdout.write(`${JSON.stringify({ file, runs: bundle.runs, samples: bundle.samples })}\n`);
      else process.stdout.write(`${inline(file)}: experiment "${inline(exp.name)}", ${bundle.runs} run(s), ${bundle.samples} samples\n`);
      return 0;
    });
  },
});

export const importCommand = defineCommand({
  name: 'import',
  synopsis: 'import FILE [--data-dir D] [--json]',
  summary: 'Import an experiment bundle atomically; runs already in the archive (same id) are skipped.',
  flags: {
    'data-dir': dataDirFlag,
    json: { type: 'boolean', description: 'print {"imported", "skipped", "experimentId", "experimentName"} as JSON' },
  },
  positionals: [1, 1],
  async run(flags, [file]) {
    // A regular file within the bundle cap, read before the data folder is opened.
    const bytes = readUserFile(path.resolve(file as string), 'bundle');
    return withServices(flags['data-dir'], async (services) => {
      const r = await call(services, 'experiments.importBundle', { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
      if (flags.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else process.stdout.write(`imported ${r.imported} run(s) into experiment "${inline(r.experimentName)}"${r.skipped > 0 ? `; ${r.skipped} already in the archive, skipped` : ''}\n`);
      if (!r.checksums) {
        process.stderr.write('workbench import: note: this bundle was written before bundles carried checksums (version 1): its structure and values were checked, not every sample bit by bit\n');
      }
      return 0;
    });
  },
});
