import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, StoreError } from '../../../electron/services/store/index';
import { open, plain, samples, storeWithRun, tempDir } from './helpers';

describe('backup', () => {
  it('copies the whole database, live, into a file another store opens', async () => {
    const { store, runId } = storeWithRun();
    const w = store.openWriter(runId);
    w.append(samples(9_000));
    w.flush();
    const target = path.join(tempDir(), 'copy', DATABASE_FILE_NAME);
    fs.mkdirSync(path.dirname(target));
    await store.backup(target);
    w.append(samples(100, 9_000)); // the original stays usable
    w.flush();

    const copy = open(path.dirname(target));
    expect(copy.runs.get(runId).sampleCount).toBe(9_000);
    expect(plain(copy.readSamples(runId))).toEqual(plain(samples(9_000)));
    expect(store.runs.get(runId).sampleCount).toBe(9_100);
  });

  it('refuses to overwrite an existing file or the database itself', async () => {
    const { store } = storeWithRun();
    const existing = path.join(tempDir(), 'there.sqlite');
    fs.writeFileSync(existing, 'keep me');
    await expect(store.backup(existing)).rejects.toMatchObject({ code: 'conflict' });
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
    await expect(store.backup(store.file)).rejects.toBeInstanceOf(StoreError);
  });
});
