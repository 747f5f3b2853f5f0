import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labConfigFromEnv, labConfigFromUrl } from '../../../electron/services/lab/config';
import { describeLabUrl, redactSecrets } from '../../../electron/services/lab/redact';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function urlFile(text: string, mode: number): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-labcfg-'));
  dirs.push(d);
  const f = path.join(d, 'lab-url');
  fs.writeFileSync(f, text);
  fs.chmodSync(f, mode);
  return f;
}

describe('the lab connection URL', () => {
  const url = 'postgres://lab:s3cr%40t-pw@db.lab.example:5433/archive';

  it('comes from WORKBENCH_LAB_URL, or from a private file named by WORKBENCH_LAB_URL_FILE', () => {
    expect(labConfigFromEnv({})).toBeNull();
    const fromEnv = labConfigFromEnv({ WORKBENCH_LAB_URL: url })!;
    expect(fromEnv).toMatchObject({ url, source: 'env', display: 'postgres://lab@db.lab.example:5433/archive', secrets: ['s3cr@t-pw'] });
    const fromFile = labConfigFromEnv({ WORKBENCH_LAB_URL_FILE: urlFile(`${url}\n`, 0o600) })!;
    expect(fromFile).toMatchObject({ url, source: 'file' });
  });

  it('refuses a file others can read, naming the fix and never quoting the URL', () => {
    const f = urlFile(url, 0o644);
    let message = '';
    try {
      labConfigFromEnv({ WORKBENCH_LAB_URL_FILE: f });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/readable by others \(mode 644\)/);
    expect(message).toContain(`chmod 600 ${f}`);
    expect(message).not.toContain('s3cr');
    expect(() => labConfigFromEnv({ WORKBENCH_LAB_URL_FILE: urlFile(url, 0o640) })).toThrow(/mode 640/);
  });

  it('refuses both variables at once, a missing or empty file, and a malformed URL, without quoting it', () => {
    expect(() => labConfigFromEnv({ WORKBENCH_LAB_URL: url, WORKBENCH_LAB_URL_FILE: '/x' })).toThrow(/set only one/);
    expect(() => labConfigFromEnv({ WORKBENCH_LAB_URL_FILE: '/nonexistent/lab-url' })).toThrow(/cannot be read: ENOENT/);
    expect(() => labConfigFromEnv({ WORKBENCH_LAB_URL_FILE: urlFile('  \n', 0o600) })).toThrow(/is empty/);
    for (const bad of ['mysql://u:hunter22@h/db', 'not a url hunter22', 'postgres://u:hunter22@h', 'postgres://u:hunter22@/db']) {
      let message = '';
      try {
        labConfigFromUrl(bad, 'env');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('hunter22');
    }
  });

  it('redaction removes any password from any text holding such URLs (property)', () => {
    const part = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~!$&*+,;'.split('')), minLength: 3, maxLength: 20 });
    fc.assert(
      fc.property(part, part, fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (user, pw, before, after) => {
        fc.pre(!user.includes(pw) && !before.includes(pw) && !after.includes(pw) && !'postgres://127.0.0.1:5432/db'.includes(pw));
        const u = `postgres://${user}:${encodeURIComponent(pw)}@127.0.0.1:5432/db`;
        const text = `${before} connect ${u} failed ${after} password=${pw} again ${pw}`;
        const out = redactSecrets(text, [pw]);
        expect(out).not.toContain(pw);
        expect(out).not.toContain(encodeURIComponent(pw));
        expect(describeLabUrl(u)).not.toContain(pw);
      }),
      { numRuns: 300 },
    );
  });
});
