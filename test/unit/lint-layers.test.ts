import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The layer rules of ARCHITECTURE.md, checked by linting probe files as if they lived in each layer. */
const root = path.resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string, rule = 'no-restricted-imports'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId?.endsWith(rule)).map((m) => m.message);
}

describe('layer rules', () => {
  it('shared/ may not import Node, Electron, React or anything outside shared/', async () => {
    expect(await problems('shared/probe.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).not.toEqual([]);
    expect(await problems('shared/probe.ts', "import path from 'path';\nexport const a = path;\n")).not.toEqual([]);
    expect(await problems('shared/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).not.toEqual([]);
    expect(await problems('shared/probe.ts', "import React from 'react';\nexport const a = React;\n")).not.toEqual([]);
    expect(await problems('shared/x/probe.ts', "import { main } from '../../electron/cli';\nexport const a = main;\n")).not.toEqual([]);
    expect(await problems('shared/x/probe.ts', "import { ok } from '../contract/envelope';\nexport const a = ok;\n")).toEqual([]);
  });

  it('renderer/ may not import electron/, Electron or Node', async () => {
    expect(await problems('renderer/probe.ts', "import { main } from '../electron/cli';\nexport const a = main;\n")).not.toEqual([]);
    expect(await problems('renderer/probe.ts', "import os from 'node:os';\nexport const a = os;\n")).not.toEqual([]);
    expect(await problems('renderer/probe.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).not.toEqual([]);
    expect(await problems('renderer/probe.ts', "import { ok } from '../shared/contract/envelope';\nexport const a = ok;\n")).toEqual([]);
  });

  it("only electron/main.ts and electron/preload.ts may import 'electron'", async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await problems('electron/services/probe.ts', code)).not.toEqual([]);
    expect(await problems('electron/main.ts', code)).toEqual([]);
    expect(await problems('electron/preload.ts', code)).toEqual([]);
  });

  it('electron/ throws ServiceError, never the renderer’s HostError', async () => {
    expect(await problems('electron/handlers/probe.ts', "import { HostError } from '../../shared/contract';\nexport const a = HostError;\n")).not.toEqual([]);
    expect(await problems('electron/services/probe.ts', "import { HostError } from '../../shared/contract/envelope';\nexport const a = HostError;\n")).not.toEqual([]);
    expect(await problems('electron/handlers/probe.ts', "import { ok } from '../../shared/contract';\nexport const a = ok;\n")).toEqual([]);
  });

  it('electron/services/ imports neither handlers/, the CLI nor the composition root; they import services', async () => {
    expect(await problems('electron/services/runs/probe.ts', "import { createHandlers } from '../../handlers';\nexport const a = createHandlers;\n")).not.toEqual([]);
    expect(await problems('electron/services/probe.ts', "import { archiveHandlers } from '../handlers/archive';\nexport const a = archiveHandlers;\n")).not.toEqual([]);
    expect(await problems('electron/services/probe.ts', "import { fitCommand } from '../cli/fit';\nexport const a = fitCommand;\n")).not.toEqual([]);
    expect(await problems('electron/services/probe.ts', "import { main } from '../cli';\nexport const a = main;\n")).not.toEqual([]);
    expect(await problems('electron/services/store/probe.ts', "import { openAppServices } from '../../app/app-services';\nexport const a = openAppServices;\n")).not.toEqual([]);
    // The layer rules of electron/ still hold inside services/.
    expect(await problems('electron/services/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).not.toEqual([]);
    // What services may use, and what may use services.
    expect(await problems('electron/services/probe.ts', "import { appVersion } from '../app-meta';\nimport { fitTrace } from './fit';\nexport const a = [appVersion, fitTrace];\n")).toEqual([]);
    expect(await problems('electron/handlers/probe.ts', "import { fitTrace } from '../services/fit';\nexport const a = fitTrace;\n")).toEqual([]);
    expect(await problems('electron/app/probe.ts', "import { createHandlers } from '../handlers';\nexport const a = createHandlers;\n")).toEqual([]);
  });

  it('electron/services/ keeps no module-level mutable state', async () => {
    const state = (file: string, code: string) => problems(file, code, 'no-restricted-syntax');
    expect(await state('electron/services/probe.ts', 'let processLog: string | null = null;\nexport const a = () => processLog;\n')).not.toEqual([]);
    expect(await state('electron/services/runs/probe.ts', 'export let current = 0;\n')).not.toEqual([]);
    expect(await state('electron/services/runs/probe.ts', 'const factories = new Map<string, number>();\nexport const a = factories;\n')).not.toEqual([]);
    // Constants and what an instance keeps are fine; so is state outside services (the Electron shell's window).
    expect(await state('electron/services/probe.ts', "const LIMIT = 4096;\nexport class A { private readonly seen = new Set<string>(); private n = 0; f() { let k = LIMIT; k += this.n; return [k, this.seen]; } }\n")).toEqual([]);
    expect(await state('electron/handlers/probe.ts', 'let n = 0;\nexport const a = () => n++;\n')).toEqual([]);
  });
});
