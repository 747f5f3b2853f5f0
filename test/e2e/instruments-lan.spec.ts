import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { builtInPresets, createDevice } from '../../shared/device';
import { compileProtocol, simulateProtocol } from '../../shared/protocol';
import { SampleKind } from '../../shared/samples/columns';
import { decodeMessage } from '../../shared/contract/wire';
import { test, expect, openPage, type Workbench } from './fixtures';
import { api } from './host-api';
import { startVirtual2450OnLan, stopVirtuals } from './virtual-lan';

/**
 * A Keithley 2450 on the LAN, as a person meets it: a virtual 2450 started on a loopback socket
 * from the Instruments page, connected with its driver chosen by *IDN?, marked virtual; the
 * console sends *IDN? and shows the reply, walks its history, and is disabled while a run owns the
 * instrument; the paper spike train run from the Live page gives ΔG within 1 % of a simulation
 * of the same preset and seed.
 *
 * WB_E2E_SHOTS=<folder> also saves screenshots along the way.
 */
const shots = process.env.WB_E2E_SHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** Starts a virtual 2450 on a LAN socket from the Instruments page and connects with the driver left to *IDN?. */
async function connectLan(page: Page, workbench: Workbench): Promise<string> {
  const address = await startVirtual2450OnLan(page, workbench);
  await expect(page.getByTestId('address-hint')).toHaveText(/^LAN 127\.0\.0\.1:\d+$/);
  // Serial settings do not apply to a socket.
  await expect(page.getByLabel('Baud rate')).toHaveCount(0);
  await page.getByLabel('Driver').selectOption('auto');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('instrument-state')).toHaveText('connected');
  await expect(page.getByTestId('instrument-idn')).toContainText('KEITHLEY INSTRUMENTS,MODEL 2450,VIRTUAL-');
  await expect(page.getByTestId('instrument-virtual')).toHaveText('virtual');
  await expect(page.getByTestId('instrument-driver')).toContainText('Keithley 2450 (SCPI) (chosen by *IDN?)');
  await expect(page.getByTestId('instrument-capabilities')).toContainText('≥ 2 ms');
  return (await address.inputValue()).trim();
}

test('the console sends *IDN? to a LAN instrument and shows the reply, with history; it is disabled during a run', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  const host = await api(workbench);
  try {
    const resource = await connectLan(page, workbench);
    const command = page.getByTestId('console-command');
    await expect(command).toBeEnabled();
    await command.fill('*IDN?');
    await command.press('Enter');
    await expect(page.getByTestId('console-reply')).toContainText('KEITHLEY INSTRUMENTS,MODEL 2450,VIRTUAL-');
    const log = page.getByTestId('instrument-console');
    await expect(log.locator('.instr-out', { hasText: '*IDN?' }).last()).toBeVisible();
    await command.fill(':SOUR:VOLT:ILIM?');
    await command.press('Enter');
    await expect(page.getByTestId('console-reply')).toHaveText('+1.000000E-03');
    // Up walks back through what was sent, Down forward again.
    await command.press('ArrowUp');
    await expect(command).toHaveValue(':SOUR:VOLT:ILIM?');
    await command.press('ArrowUp');
    await expect(command).toHaveValue('*IDN?');
    await command.press('ArrowDown');
    await expect(command).toHaveValue(':SOUR:VOLT:ILIM?');
    // A command that touches the source: the limits go back on the instrument, and the page says so.
    await command.fill(':OUTP ON');
    await command.press('Enter');
    await expect(page.getByTestId('console-warning')).toContainText("the workbench's limits were set on the instrument again");
    await shot(page, 'instruments-lan-console');

    // A run owns the instrument: the console is disabled, saying why, and comes back afterwards.
    const protocol = { format: 'memristor-workbench/protocol', version: 1, name: 'reads', blocks: [{ kind: 'read', count: 300, interval: '20 ms', integration: '1 ms' }] };
    const started = await host.value<{ runId: string }>('runs.start', { protocol, device: { kind: 'instrument', port: resource, driver: 'keithley2450' } });
    await expect(command).toBeDisabled();
    await expect(page.getByTestId('console-disabled')).toHaveText(/A run is using the instrument/);
    await host.value('runs.control', { id: started.runId, action: 'stop' });
    await expect(command).toBeEnabled({ timeout: 20_000 });
    await expect.poll(async () => (await host.value<{ status: string }>('runs.get', { id: started.runId })).status).toBe('stopped');
  } finally {
    await stopVirtuals(host);
    host.close();
  }
});

test('an address committed before the page has finished loading is kept when the first read answers late', async ({ page, workbench }) => {
  // A slow first answer (a port listing behind udevadm on a cold PC) once wiped an address typed
  // at once. The page's first instruments.config answer is held, here, until the address is committed.
  let releaseHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  let heldId: number | null = null;
  let heldDelivered = false;
  let answersAfterHeld = 0;
  await page.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      const msg = decodeMessage(typeof frame === 'string' ? frame : new Uint8Array(frame)) as { type?: string; id?: number; method?: string };
      if (heldId === null && msg.type === 'request' && msg.method === 'instruments.config') heldId = msg.id ?? null;
      server.send(frame);
    });
    server.onMessage((frame) => {
      const msg = decodeMessage(typeof frame === 'string' ? frame : new Uint8Array(frame)) as { type?: string; id?: number };
      if (msg.type === 'response' && heldId !== null && msg.id === heldId) {
        void held.then(() => {
          ws.send(frame);
          heldDelivered = true;
        });
        return;
      }
      ws.send(frame);
      if (heldDelivered && msg.type === 'response') answersAfterHeld++;
    });
  });
  const host = await api(workbench);
  try {
    await openPage(page, workbench, 'instruments');
    const address = page.getByLabel('Address', { exact: true });
    await address.fill('TCPIP::10.0.0.7::5025::SOCKET');
    await address.blur();
    await expect.poll(async () => (await host.value<{ path: string | null }>('instruments.config')).path).toBe('TCPIP::10.0.0.7::5025::SOCKET');
    expect(heldId).not.toBeNull();
    releaseHeld();
    await expect.poll(() => heldDelivered).toBe(true);
    // Frames reach the page in order: once a later answer has, the held one (no address yet) was read.
    await page.getByRole('button', { name: 'Refresh' }).first().click();
    await expect.poll(() => answersAfterHeld).toBeGreaterThan(0);
    await expect(address).toHaveValue('TCPIP::10.0.0.7::5025::SOCKET');
    await expect(page.getByTestId('address-hint')).toHaveText('LAN 10.0.0.7:5025');
  } finally {
    releaseHeld();
    host.close();
  }
});

test('an address that is not one is explained as it is typed and refused, keeping the last good one', async ({ page, workbench }) => {
  const host = await api(workbench);
  try {
    await openPage(page, workbench, 'instruments');
    const address = page.getByLabel('Address', { exact: true });
    await address.fill('TCPIP::10.0.0.5::5025::SOCKET');
    await expect(page.getByTestId('address-hint')).toHaveText('LAN 10.0.0.5:5025');
    await address.blur();
    await expect.poll(async () => (await host.value<{ path: string | null; kind: string | null }>('instruments.config')).kind).toBe('tcp');
    await address.fill('TCPIP::10.0.0.5::INSTR');
    await expect(page.getByTestId('address-hint')).toHaveText(/VXI-11 resources \(::INSTR\) are not supported/);
    await address.blur();
    await expect(page.getByTestId('instrument-error')).toContainText('VXI-11');
    expect((await host.value<{ path: string | null }>('instruments.config')).path).toBe('TCPIP::10.0.0.5::5025::SOCKET');
    // The LAN field takes a bare host and port.
    await page.getByLabel('LAN').fill('192.168.1.20');
    await page.getByRole('button', { name: 'Use' }).click();
    await expect(address).toHaveValue('TCPIP::192.168.1.20::5025::SOCKET');
    // GPIB asks for its controller.
    await address.fill('GPIB::24');
    await address.blur();
    await page.getByLabel('Prologix controller').fill('/dev/ttyUSB0');
    await page.getByLabel('Prologix controller').blur();
    await expect.poll(async () => (await host.value<{ gpibController: string | null }>('instruments.config')).gpibController).toBe('/dev/ttyUSB0');
  } finally {
    host.close();
  }
});

test('the paper spike train on a 2450 over TCP, from the Instruments and Live pages, gives ΔG within 1 % of a simulation', async ({ page, workbench }) => {
  test.setTimeout(240_000);
  const host = await api(workbench);
  try {
    const doc = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'resources', 'protocols', 'paper-spike-train.json'), 'utf8')) as { name: string };
    await host.value('protocols.save', { name: doc.name, description: 'the paper spike train', tags: [], document: doc });
    await connectLan(page, workbench);

    await openPage(page, workbench, 'live');
    await page.getByLabel('Protocol').selectOption({ label: `${doc.name} (v1)` });
    await page.getByRole('radio', { name: /^Instrument/ }).check();
    await expect(page.getByTestId('run-instrument-driver')).toHaveText('Keithley 2450 (SCPI)');
    await expect(page.getByTestId('instrument-run-limits')).toContainText('virtual (emulator)');
    await page.getByLabel('Run name').fill('Spike train on the 2450 over LAN');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('running');
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 200_000 });
    await expect(page.getByTestId('summary-samples')).toHaveText('200');
    await expect(page.getByTestId('summary-dg')).toHaveText(/^-9\d\.\d %$/);

    // The run's reads against the model of the virtual instrument (its preset and seed), simulated.
    const runs = await host.value<{ runs: { id: string; name: string }[] }>('runs.list', {});
    const run = runs.runs.find((r) => r.name === 'Spike train on the 2450 over LAN')!;
    const exported = JSON.parse((await host.value<{ text: string }>('runs.export', { id: run.id, format: 'json' })).text) as {
      run: { device: { virtual: boolean; driver: string } };
      kinds: Record<string, string>;
      samples: { g: number[]; kind: number[] };
    };
    expect(exported.run.device).toMatchObject({ virtual: true, driver: 'keithley2450' });
    const readKind = Number(Object.entries(exported.kinds).find(([, k]) => k === 'read')![0]);
    const measured = exported.samples.g.filter((_, k) => exported.samples.kind[k] === readKind);
    const compiled = compileProtocol(doc);
    if (!compiled.ok) throw new Error('the paper spike train does not compile');
    const columns = simulateProtocol(compiled.program, createDevice(builtInPresets.find((p) => p.name === 'intrinsic-gradient')!, { seed: 1 }));
    const simulated: number[] = [];
    for (let k = 0; k < columns.length; k++) if (columns.kind[k] === SampleKind.read) simulated.push(columns.g[k]!);
    const dG = (xs: number[]) => (xs[xs.length - 1]! - xs[0]!) / xs[0]!;
    expect(measured).toHaveLength(100);
    expect(Math.abs(dG(measured) - dG(simulated)) / Math.abs(dG(simulated))).toBeLessThan(0.01);
  } finally {
    await stopVirtuals(host);
    host.close();
  }
});
