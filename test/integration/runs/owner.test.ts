/**
 * Two processes may share a data folder: a run left 'running' is interrupted only when the process
 * that owns it is gone — never while it lives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ABANDONED_EXIT_REASON, INTERRUPTED_EXIT_REASON, currentOwner, ownerLiveness, openStore, type RunOwner } from '../../../electron/services/store';
import { onCleanup, tempDir } from './helpers';

function open(dir: string) {
  const store = openStore(dir, { appVersion: 'test' });
  onCleanup(() => {
    if (store.isOpen) store.close();
  });
  return store;
}

/** A live process that is not us. */
function liveChild(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  onCleanup(() => {
    child.kill('SIGKILL');
  });
  return child;
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

function ownerOf(pid: number, extra: Partial<RunOwner> = {}): RunOwner {
  return { pid, host: os.hostname(), processStartedAt: new Date().toISOString(), procStart: null, ...extra };
}

describe('run owners', () => {
  it('knows which processes are alive', async () => {
    expect(ownerLiveness(currentOwner())).toBe('alive');
    const child = liveChild();
    expect(ownerLiveness(ownerOf(child.pid!))).toBe('alive');
    expect(ownerLiveness(ownerOf(await deadPid()))).toBe('dead');
    expect(ownerLiveness(ownerOf(process.pid, { host: 'another-machine.example' }))).toBe('unknown');
  });

  it('marks a run interrupted only when its owner process is gone', async () => {
    const dir = tempDir();
    const child = liveChild();
    let store = open(dir);
    const dead = store.runs.create({ experimentName: 'e', name: 'dead owner', status: 'running', owner: ownerOf(await deadPid()) });
    const live = store.runs.create({ experimentName: 'e', name: 'live owner', status: 'running', owner: ownerOf(child.pid!) });
    const remote = store.runs.create({ experimentName: 'e', name: 'other host', status: 'running', owner: ownerOf(1, { host: 'another-machine.example' }) });
    const mine = store.runs.create({ experimentName: 'e', name: 'this process', status: 'running', owner: currentOwner() });
    const legacy = store.runs.create({ experimentName: 'e', name: 'no owner', status: 'running' });
    const queuedDead = store.runs.create({ experimentName: 'e', name: 'queued, dead owner', owner: ownerOf(await deadPid()) });
    const queuedLive = store.runs.create({ experimentName: 'e', name: 'queued, live owner', owner: ownerOf(child.pid!) });
    const w = store.openWriter(dead.id);
    w.append({ length: 2, t: new Float64Array([0, 1]), v: new Float64Array([1, 1]), i: new Float64Array([1, 2]), g: new Float64Array([1, 2]), kind: new Uint8Array(2), block: new Int32Array(2), compliance: new Uint8Array(2) });
    store.close();

    store = open(dir);
    expect(store.interruptedAtOpen).toBe(2); // the dead owner's run and the one without an owner
    expect(store.runs.get(dead.id)).toMatchObject({ status: 'interrupted', exitReason: INTERRUPTED_EXIT_REASON, sampleCount: 2 });
    expect(store.runs.get(legacy.id).status).toBe('interrupted');
    expect(store.runs.get(live.id).status).toBe('running');
    expect(store.runs.get(remote.id).status).toBe('running');
    expect(store.runs.get(mine.id).status).toBe('running');
    expect(store.runs.get(queuedDead.id)).toMatchObject({ status: 'stopped', exitReason: ABANDONED_EXIT_REASON });
    expect(store.runs.get(queuedLive.id).status).toBe('queued');
    store.close();

    // Once the owner is gone, its runs are interrupted at the next open.
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    store = open(dir);
    expect(store.interruptedAtOpen).toBe(1);
    expect(store.runs.get(live.id).status).toBe('interrupted');
    expect(store.runs.get(queuedLive.id).status).toBe('stopped');
    expect(store.runs.get(remote.id).status).toBe('running'); // cannot be told from here: left alone
  });

  it.runIf(process.platform === 'linux')('treats a reused pid as a different process (its start time differs)', () => {
    const dir = tempDir();
    const child = liveChild();
    let store = open(dir);
    const run = store.runs.create({ experimentName: 'e', name: 'r', status: 'running', owner: ownerOf(child.pid!, { procStart: '1' }) });
    store.close();
    store = open(dir);
    expect(store.runs.get(run.id).status).toBe('interrupted');
  });
});
