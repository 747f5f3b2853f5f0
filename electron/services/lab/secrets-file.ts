/**
 * The desktop app's lab connection (#16): host, port, database and user in
 * `<data folder>/lab-connection.json` (mode 600), the password encrypted by the operating system's
 * secret storage (Electron safeStorage: Keychain, DPAPI, libsecret) — the plaintext password is
 * never written anywhere. `cipher` is safeStorage, passed in by electron/main.ts, so this file
 * stays free of Electron and is tested with any reversible cipher.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LabSecrets } from './service';

export interface Cipher {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
}

export const LAB_CONNECTION_FILE = 'lab-connection.json';

interface Stored {
  host: string;
  port: number;
  database: string;
  user: string;
  /** base64 of the cipher's output. */
  password: string;
}

export function fileLabSecrets(dataDir: string, cipher: Cipher): LabSecrets {
  const file = path.join(dataDir, LAB_CONNECTION_FILE);
  return {
    load() {
      if (!fs.existsSync(file)) return null;
      const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Stored;
      const password = s.password ? cipher.decryptString(Buffer.from(s.password, 'base64')) : '';
      const u = new URL('postgres://placeholder');
      u.hostname = s.host;
      u.port = String(s.port);
      u.pathname = `/${encodeURIComponent(s.database)}`;
      u.username = encodeURIComponent(s.user);
      u.password = encodeURIComponent(password);
      return u.toString();
    },
    save(conn) {
      if (conn.password && !cipher.isEncryptionAvailable()) {
        throw new Error('This system offers no secret storage for the password (on Linux: a keyring such as gnome-keyring or KWallet); use WORKBENCH_LAB_URL_FILE instead.');
      }
      const stored: Stored = { ...conn, password: conn.password ? cipher.encryptString(conn.password).toString('base64') : '' };
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    clear() {
      fs.rmSync(file, { force: true });
    },
  };
}
