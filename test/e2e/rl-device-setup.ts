import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** A field by the start of its label (labels end with whose value it is: "ours" or "edited"). */
export async function setField(scope: Locator, label: string, value: string): Promise<void> {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await scope.getByLabel(new RegExp(`^${escaped}(\\s|$)`)).fill(value);
}

export const DEVICE = 'Device-driven (intrinsic-gradient)';
const KEEP = [DEVICE, 'Constant α = 0.269'];

/**
 * The RL page set up for a short run with the device in the loop, as a person does it: a small
 * static maze, `episodes` episodes, one seed, the device strategy against the best tuned constant,
 * 0.2 s of device time per episode, the device strategy put on the connected instrument — and the
 * plan shown. Returns the set-up's locators.
 */
export async function setUpDeviceRun(page: Page, episodes: number): Promise<{ setup: Locator; strategies: Locator; hardware: Locator; plan: Locator }> {
    const setup = page.getByRole('complementary', { name: 'Set-up' });

    // A small static maze, 40 episodes, one seed, two strategies; 0.2 s of device time per episode.
    const dynamicEnv = setup.getByRole('region', { name: /^Environment Dynamic maze/ });
    await dynamicEnv.locator('input[type=checkbox]').first().uncheck();
    const staticEnv = setup.getByRole('region', { name: /^Environment Static maze/ });
    await staticEnv.getByLabel(/^Rows of/).fill('4');
    await staticEnv.getByLabel(/^Columns of/).fill('4');
    await setField(staticEnv, 'Episodes', String(episodes));
    const strategies = setup.getByTestId('rl-setup-strategies');
    const boxes = strategies.locator('.rl-strategy-head input[type=checkbox]');
    for (let k = 0; k < (await boxes.count()); k++) {
      const name = (await strategies.locator('.rl-strategy-name').nth(k).textContent()) ?? '';
      if (!KEEP.includes(name)) await boxes.nth(k).uncheck();
    }
    await strategies.getByLabel(/^Baseline/).selectOption({ label: 'Constant α = 0.269' });
    await strategies.getByRole('button', { name: `Edit the parameters of ${DEVICE}` }).click();
    await setField(strategies, 'Time per episode', '0.2');
    const seeds = setup.getByTestId('rl-setup-seeds');
    await setField(seeds, 'Seeds', '1');
    await setField(seeds, 'Convergence window K', '5');

    // Put the device strategy on the instrument: the plan appears before anything starts.
    const hardware = setup.getByTestId('rl-setup-hardware');
    await hardware.locator('summary').click();
    await hardware.getByLabel('Strategy on the instrument').selectOption({ label: DEVICE });
    await expect(hardware.getByTestId('rl-hardware-instrument')).toContainText('MODEL 2400');
    const plan = hardware.getByTestId('rl-plan');
    await expect(plan).toContainText('Wall time');
    await expect(plan).toContainText(`${episodes} episodes (${episodes} × 1 seed)`);
    await expect(plan).toContainText('measured overhead');
    await expect(plan).toContainText('Within the safety limits in force');
    await expect(plan.getByTestId('rl-plan-g0')).toContainText('the device reads');

    return { setup, strategies, hardware, plan };
}
