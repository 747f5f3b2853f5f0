import { test, expect, openPage } from './fixtures';

// #19: a keyboard user reaches the page in one Tab (skip link), moves between pages with G then a
// letter, and finds every shortcut on a sheet opened with ? (and from Help).

test('the first Tab reaches the skip link, shown on focus, and Enter moves focus to the page', async ({ page, workbench }) => {
  await openPage(page, workbench);
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toBeVisible();
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();

  const skip = page.getByRole('link', { name: 'Skip to main content' });
  // Hidden above the window until focused.
  expect((await skip.boundingBox())!.y + (await skip.boundingBox())!.height).toBeLessThanOrEqual(0);
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  const shown = (await skip.boundingBox())!;
  expect(shown.y).toBeGreaterThanOrEqual(0);
  expect(shown.height).toBeGreaterThan(10);

  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  expect(page.url()).not.toContain('main-content'); // the router's address is untouched
  // The next Tab lands inside the page, not on the rail.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
});

test('G then a letter opens a page, but not while typing in a field', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.locator('main h1').first().waitFor();
  await page.keyboard.press('g');
  await page.keyboard.press('l');
  await expect(page).toHaveURL(/#\/live$/);
  await expect(page.locator('main h1')).toHaveText('Live');

  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(page).toHaveURL(/#\/archive$/);

  await page.keyboard.press('g');
  await page.keyboard.press('h');
  await expect(page.locator('main h1').first()).toHaveText('Help');

  // A letter without G does nothing; G and a letter typed into a field are the field's.
  await page.keyboard.press('l');
  await expect(page.locator('main h1').first()).toHaveText('Help');
  await openPage(page, workbench, 'live');
  const name = page.getByLabel('Run name');
  await name.click();
  await page.keyboard.type('ga');
  await expect(name).toHaveValue('ga');
  await expect(page).toHaveURL(/#\/live$/);
});

test('? opens the shortcut sheet; it lists the shortcuts, keeps Tab inside, and Escape closes it and returns focus', async ({ page, workbench }) => {
  await openPage(page, workbench, 'archive');
  await page.locator('main h1').first().waitFor();
  const archiveLink = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Archive' });
  await archiveLink.focus();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  for (const [keys, action] of [
    ['G then P', 'go to Protocols'],
    ['G then L', 'go to Live'],
    ['G then A', 'go to Archive'],
    ['?', 'open the shortcut sheet'],
    ['Ctrl+S', 'save the protocol being edited (as a new version)'],
    ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo'],
    ['Ctrl+Enter', 'run (Live, RL) or fit (Devices)'],
  ] as const) {
    await expect(sheet.locator('.shortcut-row', { hasText: action }).locator('dt')).toHaveText(keys);
  }
  await expect(sheet.getByRole('button', { name: 'Close' })).toBeFocused();
  // Tab and Shift+Tab go round inside the sheet.
  for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
  }
  // The page's keys sleep while it is open.
  await page.keyboard.press('g');
  await page.keyboard.press('p');
  await expect(page).toHaveURL(/#\/archive$/);

  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(archiveLink).toBeFocused();
});

test('Help opens the same sheet, and ? typed into a field is the field’s', async ({ page, workbench }) => {
  await openPage(page, workbench, 'help');
  await page.getByRole('button', { name: /Keyboard shortcuts/ }).click();
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await sheet.getByRole('button', { name: 'Close' }).click();
  await expect(sheet).toBeHidden();
  await expect(page.getByRole('button', { name: /Keyboard shortcuts/ })).toBeFocused();

  await openPage(page, workbench, 'live');
  const notes = page.getByRole('textbox', { name: /^Notes/ });
  await notes.click();
  await page.keyboard.type('why?');
  await expect(notes).toHaveValue('why?');
  await expect(sheet).toBeHidden();
});
