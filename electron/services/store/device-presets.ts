/**
 * Device presets the user saved or fitted. The shipped presets are files (resources/devices) and
 * read-only; these live in the database beside the runs, so a fit made on one lab PC travels with
 * its archive. Every preset is checked by shared/device's parseDevicePreset on the way in, and again
 * on the way out (a row edited by hand cannot crash a caller: it reads as 'corrupt').
 */
import { builtInPresets, parseDevicePreset, type DevicePreset, type DeviceKind, type ParameterSource } from '../../../shared/device';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import { describe, invalid } from './validate';

export interface DevicePresetSummary {
  name: string;
  title: string;
  model: DeviceKind;
  source: ParameterSource;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface SavedDevicePreset extends DevicePresetSummary {
  preset: DevicePreset;
}

interface Row {
  name: string;
  model: DeviceKind;
  title: string;
  source: ParameterSource;
  preset_json: string;
  created_at: string;
  updated_at: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Names the shipped presets use; a saved preset may not take one. */
export const reservedPresetNames: readonly string[] = builtInPresets.map((p) => p.name);

export class DevicePresets {
  constructor(private readonly ctx: StoreContext) {}

  /** Every saved preset, by name (from the listing columns: one damaged document does not hide the others). */
  list(): DevicePresetSummary[] {
    const rows = this.ctx
      .stmt(
        `SELECT name, model, title, source, created_at, updated_at,
           CASE json_type(preset_json, '$.description') WHEN 'text' THEN json_extract(preset_json, '$.description') ELSE '' END AS description
         FROM device_presets ORDER BY name`,
      )
      .all() as (Omit<Row, 'preset_json'> & { description: string })[];
    return rows.map((r) => ({
      name: r.name,
      title: r.title,
      model: r.model,
      source: r.source,
      description: r.description,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  has(name: string): boolean {
    return this.ctx.stmt('SELECT 1 FROM device_presets WHERE name = ?').get(checkPresetName(name)) !== undefined;
  }

  /** A saved preset; 'not_found' when there is none of that name. */
  get(name: string): SavedDevicePreset {
    const key = checkPresetName(name);
    const row = this.ctx.stmt('SELECT * FROM device_presets WHERE name = ?').get(key) as Row | undefined;
    if (!row) throw new StoreError('not_found', `There is no saved device preset called "${key}".`);
    const preset = this.decode(row);
    return { ...this.summary(row, preset), preset };
  }

  /**
   * Saves a preset under its own `name`. 'invalid' (with every problem in details.problems) when it
   * is not a valid preset or takes a shipped preset's name; 'conflict' when the name is taken and
   * `overwrite` is not set.
   */
  save(input: unknown, options: { overwrite?: boolean } = {}): SavedDevicePreset {
    const parsed = parseDevicePreset(input);
    if (!parsed.ok) {
      const problems = parsed.problems.map((p) => ({ path: p.path, message: p.message }));
      throw invalid(`The device preset is not valid: ${problems.map((p) => p.message).join('; ')}`, { problems });
    }
    const preset = parsed.preset;
    if (reservedPresetNames.includes(preset.name)) {
      throw invalid(`"${preset.name}" is the name of a shipped preset, which is read-only; save under another name.`, {
        problems: [{ path: 'name', message: `name must not be one of the shipped presets' names (${reservedPresetNames.join(', ')})` }],
      });
    }
    const json = JSON.stringify(preset);
    return this.ctx.tx(() => {
      const existing = this.ctx.stmt('SELECT created_at FROM device_presets WHERE name = ?').get(preset.name) as { created_at: string } | undefined;
      if (existing && options.overwrite !== true) {
        throw new StoreError('conflict', `A device preset called "${preset.name}" already exists; choose another name or overwrite it.`, { name: preset.name });
      }
      const now = this.ctx.now();
      this.ctx
        .stmt(
          `INSERT INTO device_presets (name, model, title, source, preset_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET model = excluded.model, title = excluded.title, source = excluded.source,
             preset_json = excluded.preset_json, updated_at = excluded.updated_at`,
        )
        .run(preset.name, preset.model, preset.title, preset.source, json, existing?.created_at ?? now, now);
      return this.get(preset.name);
    });
  }

  /** Deletes a saved preset; 'not_found' when there is none of that name. */
  delete(name: string): void {
    const key = checkPresetName(name);
    const info = this.ctx.stmt('DELETE FROM device_presets WHERE name = ?').run(key);
    if (info.changes === 0) throw new StoreError('not_found', `There is no saved device preset called "${key}".`);
  }

  private decode(row: Row): DevicePreset {
    let value: unknown;
    try {
      value = JSON.parse(row.preset_json);
    } catch {
      value = undefined;
    }
    const parsed = parseDevicePreset(value);
    if (!parsed.ok) {
      throw new StoreError('corrupt', `The saved device preset "${row.name}" is damaged: ${parsed.problems.map((p) => p.message).join('; ')}`);
    }
    return parsed.preset;
  }

  private summary(row: Row, preset: DevicePreset): DevicePresetSummary {
    return {
      name: row.name,
      title: preset.title,
      model: preset.model,
      source: preset.source,
      description: preset.description,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

export function checkPresetName(value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw invalid(`a device preset name must be a short identifier of lower-case letters, digits and dashes, got ${describe(value)}`);
  }
  return value;
}
