/**
 * Lab sweeps from the app (#16 item 4): the web host of a PC pointed at a lab (WORKBENCH_LAB_URL)
 * submits the RL page's experiment to the lab's job queue with "Submit to the lab…", is told the
 * sweep id and to run `workbench worker --lab`; Archive → Lab → Sweeps lists it waiting, and once a
 * worker has drained the queue, shows it done with its jobs by worker and its comparison. Routed to
 * an instrument a worker announced, the sweep waits for that PC's worker and no other.
 */
import { test, expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pgUnavailableReason } from '../fixtures/pg-cluster';
import { startLabServe, workbenchBin as bin, type LabServe } from './lab-serve';
import { axe, overflow } from './layout-checks';

const root = path.resolve(import.meta.dirname, '..', '..');
/** This spec's own PostgreSQL port. The web host takes a free port (0). */
const PG_PORT = 55621;

const unavailable = pgUnavailableReason();

/** Parts of the lab-submit box that stick out of the RL set-up panel (UI.md: nothing overflows its panel). */
function outsideSetup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panel = document.querySelector('.rl-setup')!.getBoundingClientRect();
    return Array.from(document.querySelectorAll('[data-testid="rl-lab-submit"] *'))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > panel.right + 1 || r.left < panel.left - 1);
      })
      .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}" spans x ${Math.round(el.getBoundingClientRect().left)}–${Math.round(el.getBoundingClientRect().right)}, outside the set-up panel (${Math.round(panel.left)}–${Math.round(panel.right)})`);
  });
}

test.describe('lab sweeps in the app', () => {
  // The layout check injects axe-core, which the app's CSP (script-src 'self') rightly refuses.
  test.use({ bypassCSP: true });
  let lab: LabServe | null = null;
  let url = '';
  let appUrl = '';

  test.beforeAll(async () => {
    // The lab specs run against a real PostgreSQL cluster or fail saying why; they never skip (.ci/run installs PostgreSQL).
    if (unavailable !== null) throw new Error(`these lab tests need a PostgreSQL test cluster, and none can start here: ${unavailable}`);
    test.setTimeout(120_000);
    lab = await startLabServe(PG_PORT, 'lab_sweeps_e2e');
    ({ url, appUrl } = lab);
  });

  test.afterAll(async () => {
    await lab?.stop();
  });

  /** `workbench worker --lab --drain` as PC `pc` (its log on stderr, its JSON summary returned). */
  function worker(pc: string, args: string[]): { written: number; failed: number; queues: string[] } {
    const run = spawnSync(process.execPath, [bin, 'worker', '--lab', '--drain', '--poll-ms', '100', '--json', ...args], {
      env: { ...process.env, WORKBENCH_LAB_URL: url, WORKBENCH_LAB_PC_NAME: pc },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { written: number; failed: number; queues: string[] };
  }

  test('submit the RL page’s experiment to the lab, then follow it to its comparison in Archive → Lab → Sweeps', async ({ page }) => {
    test.setTimeout(300_000);
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${appUrl}#/rl`);
    const submitBox = page.getByTestId('rl-lab-submit');
    await submitBox.getByRole('button', { name: 'Submit to the lab…' }).click();
    const seeds = submitBox.getByLabel('Seeds for the lab sweep');
    await seeds.fill('0');
    await expect(submitBox.getByRole('button', { name: 'Submit', exact: true })).toBeDisabled();
    await expect(submitBox).toContainText('Seeds must be a whole number from 1 to 10000.');
    await seeds.fill('2');
    await submitBox.getByRole('button', { name: 'Submit', exact: true }).click();
    const said = page.getByTestId('rl-lab-submitted');
    await expect(said).toContainText('workbench worker --lab');
    const sweepId = (await said.locator('.mono').textContent())!.trim();
    expect(sweepId).toMatch(/^[0-9a-f-]{36}$/);
    const jobs = Number(/: (\d+) jobs \(2 seeds\)/.exec((await said.textContent())!)![1]);
    expect(jobs).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(root, 'test-results', 'lab-sweeps-submitted.png'), fullPage: true });

    await said.getByRole('link', { name: /Archive → Lab → Sweeps/ }).click();
    await expect(page).toHaveURL(/source=lab&view=sweeps/);
    const row = page.getByRole('table', { name: 'Lab sweeps' }).locator(`tr[data-lab-sweep-id="${sweepId}"]`);
    await expect(row).toContainText('pc-submit');
    await expect(row).toContainText('ada');
    await expect(row).toContainText(`0/${jobs}`);
    await row.getByRole('link').click();
    const detail = page.getByTestId('lab-sweep-detail');
    await expect(detail).toContainText('no job done yet');
    await expect(detail).toContainText('The comparison appears once every job is done.');

    // A lab PC's worker takes every job, as the page said.
    const worker = spawnSync(process.execPath, [bin, 'worker', '--lab', '--drain', '--name', 'pc-worker', '--poll-ms', '100', '--json'], { env: { ...process.env, WORKBENCH_LAB_URL: url }, encoding: 'utf8', timeout: 240_000 });
    expect(worker.status, worker.stderr).toBe(0);
    expect(JSON.parse(worker.stdout)).toMatchObject({ written: jobs, failed: 0 });

    // The open sweep and the list look again on their own.
    await expect(row).toContainText(`${jobs}/${jobs}`, { timeout: 15_000 });
    await expect(detail.getByTestId('lab-sweep-workers')).toHaveText(`pc-worker: ${jobs}`, { timeout: 15_000 });
    await expect(detail.locator('[data-testid^="rl-comparison-"]')).toBeVisible();
    await expect(detail.getByRole('tab')).toHaveCount(2);
    await page.screenshot({ path: path.join(root, 'test-results', 'lab-sweeps.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  test('submit to an instrument a worker announced: the form offers it with its PC, checks a typed name, and only that PC’s worker runs the jobs', async ({ page }) => {
    test.setTimeout(300_000);
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    // PC lab2's worker serves k2400 (in software: no device given) and says so to the lab.
    expect(worker('pc-lab2', ['--instrument', 'k2400', '--instruments-only', '--name', 'lab2-worker'])).toMatchObject({ written: 0, queues: ['wb-sweep-instrument-k2400'] });

    await page.goto(`${appUrl}#/rl`);
    const box = page.getByTestId('rl-lab-submit');
    await box.getByRole('button', { name: 'Submit to the lab…' }).click();
    await box.getByLabel('Seeds for the lab sweep').fill('1');
    const where = box.getByLabel('Where the lab sweep runs');
    await expect(where).toHaveValue('');
    await expect(box).toContainText('Any lab PC’s worker takes the jobs and runs them in software.');
    await expect(where.locator('option', { hasText: /^k2400 — pc-lab2, seen [^,]+$/ })).toHaveCount(1);

    // A typed name: checked at the field as the lab checks it; one no worker serves is warned about.
    await where.selectOption({ label: 'Another instrument…' });
    const name = box.getByLabel('Instrument name');
    const submit = box.getByRole('button', { name: 'Submit', exact: true });
    await name.fill('serial:/dev/ttyUSB0');
    await expect(box).toContainText(`An instrument's name may hold only letters, digits, '_' and '-' (1 to 60 of them); "serial:/dev/ttyUSB0" has ":", "/".`);
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(submit).toBeDisabled();
    await name.fill('k2450');
    await expect(submit).toBeEnabled();
    await expect(box.getByTestId('rl-lab-instrument-warning')).toHaveText('No worker has announced k2450 yet: nothing runs until workbench worker --lab --instrument k2450=DEVICE runs on the PC that owns it.');

    // The announced one: its one-line explanation, and the warning that it runs in software there.
    await where.selectOption({ label: (await where.locator('option', { hasText: /^k2400 — / }).textContent())! });
    await expect(box).toContainText('Jobs run only on the PC that owns this instrument; device-driven strategies run on the instrument itself.');
    await expect(box.getByTestId('rl-lab-instrument-warning')).toContainText('pc-lab2’s worker serves k2400 in software only');
    await expect(box.getByTestId('rl-lab-instrument-detail')).toHaveText(/^Served by pc-lab2 \(worker lab2-worker, software only, last seen .+\); no sweep yet\.$/);
    const found: string[] = [];
    for (const size of [{ width: 1366, height: 768 }, { width: 1024, height: 700 }]) {
      await page.setViewportSize(size);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const v of [...(await axe(page)), ...(await overflow(page)), ...(await outsideSetup(page))]) found.push(`${size.width}×${size.height} ${scheme}: ${v}`);
      }
    }
    expect(found).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.emulateMedia({ colorScheme: 'light' });
    await submit.click();
    const said = page.getByTestId('rl-lab-submitted');
    await expect(said.getByTestId('rl-lab-submitted-instrument')).toHaveText('k2400');
    await expect(said).toContainText('(queue wb-sweep-instrument-k2400). On the PC that owns it (pc-lab2 served it last), run');
    await expect(said.getByTestId('rl-lab-worker-command')).toHaveText('workbench worker --lab --instrument k2400=DEVICE');
    const sweepId = (await said.locator('.mono').first().textContent())!.trim();
    const jobs = Number(/: (\d+) jobs \(1 seeds\)/.exec((await said.textContent())!)![1]);
    expect(jobs).toBeGreaterThan(0);

    await said.getByRole('link', { name: /Archive → Lab → Sweeps/ }).click();
    const row = page.getByRole('table', { name: 'Lab sweeps' }).locator(`tr[data-lab-sweep-id="${sweepId}"]`);
    await expect(row).toContainText('on k2400');
    await expect(row).toContainText(`0/${jobs}`);

    // Another PC's worker (the general queue) takes none of its jobs; the owner's takes every one.
    expect(worker('pc-other', ['--name', 'pc-other'])).toMatchObject({ written: 0 });
    await expect(row).toContainText(`0/${jobs}`);
    expect(worker('pc-lab2', ['--instrument', 'k2400', '--instruments-only', '--name', 'lab2-worker'])).toMatchObject({ written: jobs, failed: 0 });
    await expect(row).toContainText(`${jobs}/${jobs}`, { timeout: 15_000 });
    await row.getByRole('link').click();
    await expect(page.getByTestId('lab-sweep-detail').getByTestId('lab-sweep-workers')).toHaveText(`lab2-worker: ${jobs}`, { timeout: 15_000 });
    expect(problems).toEqual([]);
  });

  /**
   * Not a check: refreshes the user guide's picture of the form with an instrument chosen
   * (resources/help/screenshots). Run with `--grep @screenshots`; excluded from `npm test` by its tag.
   */
  test('@screenshots lab: submit to an instrument', async ({ page }) => {
    test.setTimeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-owner-'));
    try {
      // The owner PC opens its instrument (a simulated device stands in for the Keithley here).
      worker('pc-lab2', ['--instrument', 'k2400=sim:intrinsic-gradient', '--instruments-only', '--data-dir', dir, '--name', 'lab2-worker']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await page.goto(`${appUrl}#/rl`);
    const box = page.getByTestId('rl-lab-submit');
    await box.getByRole('button', { name: 'Submit to the lab…' }).click();
    await box.getByLabel('Seeds for the lab sweep').fill('5');
    const where = box.getByLabel('Where the lab sweep runs');
    await where.selectOption({ label: (await where.locator('option', { hasText: /^k2400 — pc-lab2, seen [^,]+$/ }).textContent())! });
    await expect(box).toContainText('device-driven strategies run on the instrument itself');
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // no focus ring in the picture
    await page.screenshot({ path: path.join(root, 'resources', 'help', 'screenshots', 'lab-instrument-submit-light.png') });
  });
});
