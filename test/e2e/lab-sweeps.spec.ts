/**
 * Lab sweeps from the app (#16 item 4): the web host of a PC pointed at a lab (WORKBENCH_LAB_URL)
 * submits the RL page's experiment to the lab's job queue with "Submit to the lab…", is told the
 * sweep id and to run `workbench worker --lab`; Archive → Lab → Sweeps lists it waiting, and once a
 * worker has drained the queue, shows it done with its jobs by worker and its comparison.
 */
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pgUnavailableReason } from '../fixtures/pg-cluster';
import { startLabServe, workbenchBin as bin, type LabServe } from './lab-serve';

const root = path.resolve(import.meta.dirname, '..', '..');
/** This spec's own PostgreSQL port. The web host takes a free port (0). */
const PG_PORT = 55497;

const unavailable = pgUnavailableReason();

test.describe('lab sweeps in the app', () => {
  test.skip(unavailable !== null, `no PostgreSQL: ${unavailable}`);
  let lab: LabServe | null = null;
  let url = '';
  let appUrl = '';

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    lab = await startLabServe(PG_PORT, 'lab_sweeps_e2e');
    ({ url, appUrl } = lab);
  });

  test.afterAll(async () => {
    await lab?.stop();
  });

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
});
