import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, openPage } from './fixtures';

/** The protocol editor, used as a person would: palette, forms, keyboard, drag and drop, library, files. */

const preview = (page: Page) => page.getByTestId('protocol-preview');
const library = (page: Page) => page.getByRole('complementary', { name: 'Protocol library' });
const blockOfKind = (page: Page, kind: string) => page.locator(`li.pe-block[data-kind="${kind}"]`);
const field = (block: Locator, label: string) => block.locator('.pe-block-form').first().getByLabel(label, { exact: true });

/** The outline of the document as the editor shows it: one line per block, with its nesting. */
async function outline(page: Page): Promise<string[]> {
  return page.locator('[data-block-head]').evaluateAll((heads) =>
    heads.map((h) => {
      const li = h.closest('li.pe-block')!;
      return `${li.getAttribute('data-parent-id') ?? 'top'} ${h.getAttribute('aria-label') ?? ''}`;
    }),
  );
}

async function setName(page: Page, name: string): Promise<void> {
  await page.getByLabel('Name', { exact: true }).fill(name);
}

test('build the paper spike train from blocks, preview and estimate it, save, reload, edit into a new version and restore the old one', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await expect(page.getByRole('heading', { level: 1, name: 'Protocols' })).toBeVisible();
  await expect(library(page).getByText('Your library is empty')).toBeVisible();

  await setName(page, 'Paper spikes (e2e)');
  // Drag a train from the palette into the empty document.
  await page.getByRole('button', { name: 'Add a train block' }).dragTo(page.getByTestId('drop-top-0'));
  const train = blockOfKind(page, 'train');
  await expect(train).toHaveCount(1);
  await field(train, 'Count').fill('100');
  await field(train, 'Amplitude (V)').fill('2 V');
  await field(train, 'Width (s)').fill('10m');
  await expect(train.getByTestId('norm-blocks[0].width')).toHaveText('= 10 ms');
  await field(train, 'Period (s)').fill('1000 ms');
  await expect(train.getByTestId('norm-blocks[0].period')).toHaveText('= 1 s');
  await expect(train.getByLabel('Read after each pulse')).toBeChecked();

  // The preview follows: 100 pulses drawn as rectangles, 100 reads marked, a conductance trace.
  await expect(preview(page)).toHaveAttribute('data-pulses', '100');
  await expect(preview(page)).toHaveAttribute('data-reads', '100');
  await expect(preview(page)).toHaveAttribute('data-conductance-points', '101');
  await expect(page.getByTestId('estimate-pulses')).toHaveText('100');
  await expect(page.getByTestId('estimate-reads')).toHaveText('100');
  await expect(page.getByTestId('estimate-duration')).toHaveText('100 s');
  await expect(page.getByTestId('estimate-vmax')).toHaveText('2.00 V');
  await expect(page.getByTestId('limit-badge')).toHaveText(/Within the limits/);
  await expect(page.getByTestId('run-reason')).toContainText('save the protocol first');
  // A step still to take, not an error: not in red.
  await expect(page.getByTestId('run-reason')).toHaveClass(/muted/);
  await expect(page.getByRole('button', { name: '▶ Run' })).toBeDisabled();

  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 1');
  await expect(page.getByTestId('notice')).toContainText('Saved “Paper spikes (e2e)” as version 1.');
  await expect(page.getByRole('button', { name: '▶ Run' })).toBeEnabled();

  // After a reload the library still has it; search finds it and opens it.
  await page.reload();
  await expect(page.getByTestId('host-kind')).toHaveText('Web host');
  await library(page).getByLabel('Search the library').fill('spikes (e2e)');
  await expect(library(page).getByTestId('library-list').getByRole('button', { name: /^Paper spikes \(e2e\)/ })).toHaveCount(1);
  await library(page).getByTestId('library-list').getByRole('button', { name: /^Paper spikes \(e2e\)/ }).click();
  await expect(field(blockOfKind(page, 'train'), 'Count')).toHaveValue('100');
  await expect(page.getByTestId('estimate-pulses')).toHaveText('100');

  // Edit into a new version: Run waits for the save.
  await field(blockOfKind(page, 'train'), 'Amplitude (V)').fill('1.5 V');
  await expect(page.getByTestId('save-state')).toHaveText('● Unsaved edits');
  await expect(page.getByTestId('run-reason')).toContainText('save your edits first');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 2');
  const versions = page.getByTestId('version-list');
  await expect(versions.locator('li')).toHaveCount(2);

  // An earlier version can be viewed, read-only.
  await versions.getByRole('button', { name: 'View version 1' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('Version 1 of 2, read-only');
  await expect(field(blockOfKind(page, 'train'), 'Amplitude (V)')).toHaveValue('2 V');
  await expect(field(blockOfKind(page, 'train'), 'Amplitude (V)')).toBeDisabled();
  await page.getByRole('button', { name: 'Back to the latest' }).click();
  await expect(field(blockOfKind(page, 'train'), 'Amplitude (V)')).toHaveValue('1.5 V');

  // Restoring version 1 makes version 3, equal to it; nothing is lost.
  await versions.getByRole('button', { name: 'Restore version 1' }).click();
  await expect(page.getByTestId('notice')).toContainText('Restored version 1 as version 3');
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 3');
  await expect(field(blockOfKind(page, 'train'), 'Amplitude (V)')).toHaveValue('2 V');
  await expect(versions.locator('li')).toHaveCount(3);
  await expect(versions.locator('li[data-version="3"]')).toContainText('restored from v1');

  // Run sends the saved version to the Live page.
  await page.getByRole('button', { name: '▶ Run' }).click();
  // With the preview's device, which the Live page takes as its preset.
  await expect(page).toHaveURL(/#\/live\?protocol=[0-9a-f-]{36}&version=3&preset=intrinsic-gradient$/);
});

test('an amplitude above the limit is reported at its field, and Run is disabled with the reason', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByRole('button', { name: 'Add a pulse block' }).click();
  const pulse = blockOfKind(page, 'pulse');
  const amplitude = field(pulse, 'Amplitude (V)');
  await amplitude.fill('7 V');
  const errors = pulse.locator('#pf-blocks_0_amplitude-errors');
  await expect(errors).toHaveText('Amplitude 7 V exceeds the limit of 5 V (max |V|).');
  await expect(amplitude).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('limit-badge')).toHaveText(/Breaks a safety limit/);
  await expect(page.getByRole('button', { name: '▶ Run' })).toBeDisabled();
  await expect(page.getByTestId('run-reason')).toHaveText('Run is disabled: Amplitude 7 V exceeds the limit of 5 V (max |V|).');
  await expect(page.getByTestId('run-reason')).not.toHaveClass(/muted/);
  await expect(preview(page).getByRole('status')).toContainText('Preview paused');
  // The notice covers no chart's title or buttons (it hid the conductance chart's log toggle).
  const notice = (await preview(page).getByRole('status').boundingBox())!;
  for (const toolbar of await preview(page).locator('.chart-toolbar').all()) {
    const bar = (await toolbar.boundingBox())!;
    expect(notice.y + notice.height <= bar.y || notice.y >= bar.y + bar.height, 'the notice overlaps a chart toolbar').toBe(true);
  }
  await expect(page.getByTestId('estimate-pulses')).toHaveText('—');

  // Text that is not a voltage says so, and nothing breaks.
  for (const text of ['2 Vv', '-', '1e999 V', '２ V', '}{', '10 ms']) {
    await amplitude.fill(text);
    await expect(errors).toContainText('Amplitude');
  }
  await amplitude.fill('10 ms');
  await expect(errors).toContainText('that is a time');

  // A limit the protocol sets for itself tightens the workbench's.
  await amplitude.fill('3 V');
  await expect(errors).toHaveCount(0);
  await page.getByText('Document settings').click();
  await page.getByLabel('Max |V|').fill('2.5 V');
  await expect(errors).toHaveText('Amplitude 3 V exceeds the limit of 2.5 V (max |V|).');
  await page.getByLabel('Max |V|').fill('');
  await expect(page.getByTestId('limit-badge')).toHaveText(/Within the limits/);
  await expect(page.getByTestId('run-reason')).toContainText('save the protocol first');
  await expect(page.getByTestId('estimate-vmax')).toHaveText('3.00 V');
});

test('a broken or invalid file is refused with its problems and nothing is saved; a good one is imported', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  const input = page.getByTestId('import-file');

  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ "format": "memristor-workbench/protocol", "blocks": [') });
  await expect(page.getByTestId('notice')).toContainText('“broken.json” was not imported');
  await expect(page.getByTestId('notice')).toContainText('not valid JSON');
  await expect(page.getByTestId('notice')).toContainText('Nothing was saved');

  const invalid = {
    format: 'memristor-workbench/protocol',
    version: 1,
    name: 'Too much',
    blocks: [{ kind: 'pulse', amplitude: '9 V' }, { kind: 'trian', count: 3 }],
  };
  await input.setInputFiles({ name: 'invalid.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(invalid)) });
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('“invalid.json” was not imported: it has 3 problems');
  await expect(notice).toContainText('blocks[0].amplitude Amplitude 9 V exceeds the limit of 5 V');
  await expect(notice).toContainText('blocks[0].width Missing width');
  await expect(notice).toContainText("did you mean 'train'?");
  await expect(library(page).getByText('Your library is empty')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('New, not saved');

  const good = JSON.parse(readFileSync(new URL('../../resources/protocols/relaxation.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  await input.setInputFiles({ name: 'relaxation.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await expect(notice).toContainText('Imported “relaxation.json” into the library');
  await expect(library(page).getByTestId('library-list').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 1');
  await expect(page.getByTestId('estimate-reads')).toHaveText('160');

  // The same file again (#19 item 4): a new version of that protocol, not a second entry of the same name.
  await input.setInputFiles({ name: 'relaxation.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await expect(notice).toContainText('Imported “relaxation.json” as version 2 of');
  await expect(library(page).getByTestId('library-list').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 2');
});

test('undo and redo step back and forth through five edits', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  const snapshots: string[][] = [await outline(page)];
  const edits: (() => Promise<void>)[] = [
    () => page.getByRole('button', { name: 'Add a pulse block' }).click(),
    () => field(blockOfKind(page, 'pulse'), 'Amplitude (V)').fill('3 V'),
    () => page.getByRole('button', { name: 'Add a wait block' }).click(),
    () => field(blockOfKind(page, 'wait'), 'Duration (s)').fill('5 s'),
    () => page.getByRole('button', { name: 'Duplicate block 2' }).click(),
  ];
  for (const edit of edits) {
    await edit();
    await page.getByRole('heading', { level: 1, name: 'Protocols' }).click(); // blur: the edit is a step of its own
    const now = await outline(page);
    expect(now).not.toEqual(snapshots[snapshots.length - 1]);
    snapshots.push(now);
  }
  expect(snapshots[5]).toHaveLength(3);
  expect(snapshots[5]!.join('\n')).toContain('3 V');

  for (let k = 4; k >= 0; k--) {
    await page.keyboard.press('Control+z');
    await expect.poll(() => outline(page)).toEqual(snapshots[k]);
  }
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  for (let k = 1; k <= 5; k++) {
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => outline(page)).toEqual(snapshots[k]);
  }
  await expect(page.getByRole('button', { name: 'Redo', exact: true })).toBeDisabled();
  // Undo also works from inside a field, and typing into one field is one step.
  const amplitude = field(blockOfKind(page, 'pulse'), 'Amplitude (V)');
  await amplitude.click();
  await amplitude.press('End');
  await amplitude.pressSequentially('00 m');
  await expect(amplitude).toHaveValue('3 V00 m');
  await amplitude.fill('300 mV');
  await page.keyboard.press('Control+z');
  await expect(amplitude).toHaveValue('3 V');
});

test('blocks move with the keyboard and by drag and drop, into and out of bodies', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByRole('button', { name: 'Add a repeat block' }).click();
  // The repeat is selected, so the next block goes into its body.
  await page.getByRole('button', { name: 'Add a pulse block' }).click();
  const repeat = blockOfKind(page, 'repeat');
  const repeatId = (await repeat.getAttribute('data-testid'))!.replace('block-', '');
  await expect(blockOfKind(page, 'pulse')).toHaveAttribute('data-parent-id', repeatId);

  // Drag the pulse out of the body, below the repeat …
  await page.locator('li.pe-block[data-kind="pulse"] > .pe-block-head').dragTo(page.getByTestId('drop-top-1'));
  await expect(blockOfKind(page, 'pulse')).not.toHaveAttribute('data-parent-id', /.+/);
  await expect(repeat.locator('.pe-drop-slot.pe-empty')).toContainText('Body must have at least one block');
  // … and from the palette straight into the empty body.
  await page.getByRole('button', { name: 'Add a read block' }).dragTo(page.getByTestId(`drop-${repeatId}-0`));
  await expect(blockOfKind(page, 'read')).toHaveAttribute('data-parent-id', repeatId);

  // Keyboard: select the pulse, move it up into the end of the open repeat, then out again.
  const pulseHead = page.locator('li.pe-block[data-kind="pulse"] > .pe-block-head');
  await pulseHead.click();
  await expect(pulseHead).toBeFocused();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(blockOfKind(page, 'pulse')).toHaveAttribute('data-parent-id', repeatId);
  expect((await outline(page)).map((l) => l.split(' ')[1])).toEqual(['Repeat', 'Read', 'Pulse']);
  await page.keyboard.press('Alt+ArrowUp');
  expect((await outline(page)).map((l) => l.split(' ')[1])).toEqual(['Repeat', 'Pulse', 'Read']);
  await page.keyboard.press('Alt+ArrowDown');
  await page.keyboard.press('Alt+ArrowDown');
  await expect(blockOfKind(page, 'pulse')).not.toHaveAttribute('data-parent-id', /.+/);
  await expect(page.locator('li.pe-block[data-kind="pulse"] > .pe-block-head')).toBeFocused();

  // Arrows move the selection; Ctrl+D duplicates; Delete deletes; Left collapses.
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('li.pe-block[data-kind="read"] > .pe-block-head')).toBeFocused();
  await page.keyboard.press('Control+d');
  await expect(blockOfKind(page, 'read')).toHaveCount(2);
  await page.keyboard.press('Delete');
  await expect(blockOfKind(page, 'read')).toHaveCount(1);
  await page.keyboard.press('Home');
  await expect(page.locator('li.pe-block[data-kind="repeat"] > .pe-block-head')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('button', { name: 'Show the fields of block 1' })).toHaveAttribute('aria-expanded', 'false');
  await expect(blockOfKind(page, 'read')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(blockOfKind(page, 'read')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(field(repeat, 'Times')).toBeFocused();
});

test('the page asks before leaving with unsaved edits', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByRole('button', { name: 'Add a wait block' }).click();
  const rail = page.getByRole('navigation', { name: 'Pages' });
  await rail.getByRole('link', { name: 'Archive', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Leave with unsaved edits?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Stay' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#\/protocols/);
  await expect(blockOfKind(page, 'wait')).toHaveCount(1);

  // The back button is caught too.
  await page.evaluate(() => {
    window.location.hash = '#/settings';
  });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Stay' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Protocols' })).toBeVisible();
  await expect(page).toHaveURL(/#\/protocols/);

  await rail.getByRole('link', { name: 'Archive', exact: true }).click();
  await dialog.getByRole('button', { name: 'Discard edits and leave' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Archive' })).toBeVisible();
});

test('templates are copied, protocols are duplicated and deleted with a confirmation naming what goes, and export round-trips', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByTestId('template-list').getByRole('button', { name: /Depression and relaxation/ }).click();
  await expect(page.getByTestId('save-state')).toHaveText('Copy of a template, not saved');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Depression and relaxation');
  await page.getByText('Document settings').click();
  await page.getByLabel(/^Tags/).fill('paper, relaxation');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('save-state')).toHaveText('Saved · version 1');

  const list = library(page).getByTestId('library-list');
  await list.getByRole('button', { name: 'Duplicate Depression and relaxation' }).click();
  await expect(list.locator('li')).toHaveCount(2);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Depression and relaxation (copy)');
  await library(page).getByLabel('Filter by tag').selectOption('relaxation');
  await expect(list.locator('li')).toHaveCount(2);

  // Export downloads the document as JSON that validates and keeps the values as written.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('depression-and-relaxation-copy.json');
  const exported = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { name: string; blocks: { kind: string; amplitude?: string }[] };
  expect(exported.name).toBe('Depression and relaxation (copy)');
  expect(exported.blocks.map((b) => b.kind)).toEqual(['train', 'wait']);
  expect(exported.blocks[0]!.amplitude).toBe('2 V');

  await list.getByRole('button', { name: 'Delete Depression and relaxation (copy)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Depression and relaxation (copy)”?' });
  await expect(dialog).toContainText('and its only version from the library');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(list.locator('li')).toHaveCount(2);
  await list.getByRole('button', { name: 'Delete Depression and relaxation (copy)' }).click();
  await dialog.getByRole('button', { name: 'Delete “Depression and relaxation (copy)”' }).click();
  await expect(page.getByTestId('notice')).toContainText('Deleted “Depression and relaxation (copy)” and its 1 version.');
  await expect(list.locator('li')).toHaveCount(1);
  await expect(page.getByTestId('save-state')).toHaveText('New, not saved');
});

test('every shipped template opens without a problem and previews', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  const templates = page.getByTestId('template-list').getByRole('button');
  await expect(templates.first()).toBeVisible();
  const n = await templates.count();
  expect(n).toBeGreaterThanOrEqual(5);
  for (let k = 0; k < n; k++) {
    await templates.nth(k).click();
    await expect(page.getByTestId('save-state')).toHaveText('Copy of a template, not saved');
    await expect(page.getByTestId('limit-badge')).toHaveText(/Within the limits/);
    await expect(page.getByTestId('problem-list')).toHaveCount(0);
    await expect(page.getByTestId('estimate-pulses')).not.toHaveText('—');
    const version = Number(await preview(page).getAttribute('data-preview-requested'));
    await expect(preview(page)).toHaveAttribute('data-preview-version', String(version));
  }
});

test('a block’s own read settings are edited at the block, checked, and cleared back to the defaults', async ({ page, workbench }) => {
  await openPage(page, workbench, 'protocols');
  await page.getByRole('button', { name: 'Add a train block' }).dragTo(page.getByTestId('drop-top-0'));
  const train = blockOfKind(page, 'train');
  await expect(train.getByLabel('Read after each pulse')).toBeChecked();
  // The defaults show as placeholders until the block sets its own.
  await expect(field(train, 'Read voltage (V)')).toHaveValue('');
  await field(train, 'Read voltage (V)').fill('200m');
  await expect(train.getByTestId('norm-blocks[0].read.voltage')).toHaveText('= 200 mV');
  await field(train, 'Read integration (s)').fill('2 A');
  await expect(field(train, 'Read integration (s)')).toHaveAttribute('aria-invalid', 'true');
  await field(train, 'Read integration (s)').fill('5 ms');
  await expect(train.getByTestId('norm-blocks[0].read.integration')).toHaveText('= 5 ms');
  // Clearing both settings leaves a plain read after each pulse, still on.
  await field(train, 'Read voltage (V)').fill('');
  await field(train, 'Read integration (s)').fill('');
  await expect(train.getByLabel('Read after each pulse')).toBeChecked();
  await expect(field(train, 'Read integration (s)')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(preview(page)).toHaveAttribute('data-reads', (await preview(page).getAttribute('data-pulses')) ?? 'none');
});
