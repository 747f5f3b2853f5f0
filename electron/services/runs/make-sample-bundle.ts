/**
 * Writes resources/samples/sample-experiment.wbexp.sqlite (see sample-experiment.ts):
 *   npx tsx electron/services/runs/make-sample-bundle.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { appVersion } from '../../app-meta';
import { buildSampleBundle, sampleBundleFile } from './sample-experiment';

const bundle = await buildSampleBundle(appVersion);
const file = sampleBundleFile();
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, bundle.bytes);
process.stdout.write(`${file}: ${bundle.runs} runs, ${bundle.samples} samples, ${bundle.bytes.length} bytes\n`);
