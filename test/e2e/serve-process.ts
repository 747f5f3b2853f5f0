/** A `workbench serve` of its own (a lab test needs one with the lab's URL in its environment). */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServeProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts `workbench serve --json` and resolves with the address it prints; `stop` ends it. */
export async function startServe(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', ...args, '--json'], { env: { ...process.env, ...env } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve((JSON.parse(out.slice(0, nl)) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`workbench serve exited (${code}): ${err}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
