import type { Page } from '@playwright/test';
import { test, expect, openPage } from './fixtures';

// #19: Help has a table of contents from the guide's headings and a search across the guide.

/** The level-2 section (its heading's id) each marked match in the shown page falls under. */
async function sectionsOfMarks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.help-content mark')).map((m) => {
      const headings = Array.from(document.querySelectorAll('.help-content h2'));
      const before = headings.filter((h) => h.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING);
      return before.at(-1)?.id ?? '(before the first section)';
    }),
  );
}

test('searching “paired-pulse” finds it in the device-model section, marks it, and a result scrolls there', async ({ page, workbench }) => {
  await openPage(page, workbench, 'help');
  await expect(page.getByRole('heading', { level: 1, name: 'User guide' })).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search help' });
  await search.fill('paired-pulse');

  const results = page.getByTestId('help-results');
  await expect(results.getByRole('status')).toHaveText(/^\d+ matching words? in \d+ sections?, best first$/);
  const hit = results.getByRole('link', { name: /Device models › Second-order intrinsic-gradient model \(ours\)/ });
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark')).toHaveText([/^paired$/i, /^pulse$/i]);
  // While searching, the results stand where the table of contents was.
  await expect(page.getByTestId('help-toc')).toHaveCount(0);

  // In the guide itself, the matches are marked, and they are in the device-model section.
  const marks = await sectionsOfMarks(page);
  expect(marks.length).toBeGreaterThan(0);
  expect(marks).toContain('device-models');

  await hit.click();
  await expect(page).toHaveURL(/section=second-order-intrinsic-gradient-model-ours/);
  // The section's first match is brought into view, and focus moves to the section.
  await expect(page.locator('#second-order-intrinsic-gradient-model-ours ~ * mark').first()).toBeInViewport();
  await expect(page.locator('#second-order-intrinsic-gradient-model-ours')).toBeFocused();
});

test('a search with no match says so, Escape clears it, and Enter opens the first match', async ({ page, workbench }) => {
  await openPage(page, workbench, 'help');
  const search = page.getByRole('searchbox', { name: 'Search help' });
  await search.fill('zzq-no-such-words');
  await expect(page.getByTestId('help-results').getByRole('status')).toHaveText('No section holds all the words of “zzq-no-such-words”.');
  await expect(page.getByTestId('help-no-match-hint')).toContainText('Try fewer words');
  await expect(page.locator('.help-content mark')).toHaveCount(0);
  // Words found here and there but never all in one section mark nothing either.
  await search.fill('relaxation zzq');
  await expect(page.getByTestId('help-no-match-hint')).toBeVisible();
  await expect(page.locator('.help-content mark')).toHaveCount(0);

  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('help-toc')).toBeVisible();

  // The words of a sentence in another order and case, one in the plural: Enter goes to the best section holding them all.
  await search.fill('Exactly INTEGRATED relaxations');
  const best = page.getByTestId('help-results').getByRole('link').first();
  await expect(best).toContainText('Second-order intrinsic-gradient model (ours)');
  await expect(best.locator('mark')).toHaveText([/^relaxation$/i, /^integrated$/i, /^exactly$/i]);
  await search.press('Enter');
  await expect(page).toHaveURL(/section=second-order-intrinsic-gradient-model-ours/);
  // Each matched word is marked in the page, as it is written there.
  const marked = await page.locator('#second-order-intrinsic-gradient-model-ours ~ * mark').allTextContents();
  expect(new Set(marked.map((m) => m.toLowerCase()))).toEqual(new Set(['relaxation', 'integrated', 'exactly']));
});

test('the table of contents lists the guide’s headings and each link scrolls its heading into view', async ({ page, workbench }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openPage(page, workbench, 'help');
  const toc = page.getByRole('navigation', { name: 'On this page' });
  for (const name of ['The workflow', 'Device models', 'Second-order intrinsic-gradient model (ours)', 'The archive', 'Keyboard']) {
    await expect(toc.getByRole('link', { name, exact: true })).toBeVisible();
  }
  const heading = page.locator('#the-archive');
  await expect(heading).not.toBeInViewport();
  await toc.getByRole('link', { name: 'The archive', exact: true }).click();
  await expect(heading).toBeInViewport();
  await expect(page).toHaveURL(/#\/help\?page=user-guide&section=the-archive$/);

  // By keyboard: Enter on a link scrolls and moves focus to the section.
  await toc.getByRole('link', { name: 'Keyboard', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#keyboard')).toBeInViewport();
  await expect(page.locator('#keyboard')).toBeFocused();

  // The same link again, after scrolling away, scrolls back.
  await page.locator('#main-content').evaluate((m) => m.scrollTo({ top: 0 }));
  await expect(page.locator('#keyboard')).not.toBeInViewport();
  await toc.getByRole('link', { name: 'Keyboard', exact: true }).click();
  await expect(page.locator('#keyboard')).toBeInViewport();

  // The address alone opens the section (a link from elsewhere, a reload).
  await page.reload();
  await expect(page.locator('#keyboard')).toBeInViewport();
});

test('“how do I run my first protocol”: a search for “first protocol” finds the step-by-step section, which says where to click', async ({ page, workbench }) => {
  await openPage(page, workbench, 'help');
  await page.getByRole('searchbox', { name: 'Search help' }).fill('first protocol');
  const hit = page.getByTestId('help-results').getByRole('link', { name: /Your first protocol run/ });
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(page).toHaveURL(/section=your-first-protocol-run/);
  const section = page.locator('#your-first-protocol-run ~ ol').first();
  // The steps name the controls as the app labels them.
  for (const label of ['Start here', 'Paper spike train', 'Save', '▶ Run', 'Export CSV', 'Compare 2 runs']) await expect(section).toContainText(label);
});
