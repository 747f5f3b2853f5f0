import type { AppServices } from '../app/app-services';
import { UsageError } from './args';

/** `workbench export RUN|--device ID --format parquet --out F`: one run, or every run of a device, as one Parquet file. */
export async function exportParquet(services: AppServices, run: string | undefined, device: string | undefined, out: string | undefined): Promise<number> {
  if (out === undefined) throw new UsageError('--format parquet needs --out FILE (Parquet is binary: not for a terminal)');
  if ((run === undefined) === (device === undefined)) throw new UsageError('give a RUN or --device ID, one of them');
  const ids = run !== undefined ? [services.store.runs.resolveId(run)] : services.store.labFiles.runsOfDevice(device as string);
  const r = await services.parquet.write(ids, out);
  process.stderr.write(`wrote ${r.file}: ${r.runs} run(s), ${r.samples} samples\n`);
  return 0;
}
