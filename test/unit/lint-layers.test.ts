import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The layer rules of ARCHITECTURE.md, checked by linting probe files as if they lived in each layer. */
const root = path.resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
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
});
