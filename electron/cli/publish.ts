import { openCliServices } from './services';
import { defineCommand } from './command';
import { labConfigFromEnv, LAB_URL_ENV, LAB_URL_FILE_ENV, type LabConfig } from '../services/lab/config';
import { publishToLab } from '../services/lab/publish';
import { inline } from './terminal-text';

/** The lab configured in the environment, or an error that says how to configure one. */
export function requireLab(): LabConfig {
  const config = labConfigFromEnv();
  if (config === null) {
    throw new Error(`no lab archive is configured: set ${LAB_URL_ENV} to its postgres:// URL, or ${LAB_URL_FILE_ENV} to a file (mode 600) holding it`);
  }
  return config;
}

export const publishCommand = defineCommand({
  name: 'publish',
  synopsis: 'publish [--data-dir D] [--json]',
  summary: `Publish ended runs, RL runs, protocols, device presets and the device hierarchy (samples, chips, devices) of this data folder to the lab archive (PostgreSQL; its URL from ${LAB_URL_ENV} or ${LAB_URL_FILE_ENV}), and deletions as tombstones. Safe to repeat or interrupt.`,
  flags: {
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print the outcome as one JSON document' },
  },
  async run(flags) {
    const config = requireLab();
    const services = openCliServices(flags['data-dir'], { quiet: Boolean(flags.json) });
    try {
      const logger = services.logger.child('lab');
      const report = await publishToLab({
        store: services.store,
        config,
        log: (level, message) => logger[level](message),
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else {
        const lines = [
          `Lab ${report.lab}: ${report.published.length} published (${report.published.filter((p) => p.wrote === 'unchanged').length} already there), ` +
            `${report.failed.length} failed, ${report.tombstones} deletion(s), ${report.pending} pending.`,
          ...report.failed.map((f) => `  failed ${f.kind} ${f.id}: ${inline(f.reason)}`),
        ];
        if (report.stopped) lines.push(`Stopped: ${inline(report.stopped)}. Run 'workbench publish' again when the lab is reachable.`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (report.stopped) {
        if (flags.json) process.stderr.write(`workbench publish: ${inline(report.stopped)}\n`);
        return 1;
      }
      return report.failed.length > 0 ? 1 : 0;
    } finally {
      await services.close();
    }
  },
});
