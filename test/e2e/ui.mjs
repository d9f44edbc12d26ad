// The UI suite: what a person sees in the workbench, driven by playwright-core in Chromium.
// Each step waits (polling, with a time-out) for its element, asserts its text and saves a
// screenshot; a failing step still saves one, so the picture shows what went wrong.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** With AIDR_E2E_DOCS_IMAGES=1, the README's pictures are taken again (docs/images/). */
const DOCS_IMAGES = process.env.AIDR_E2E_DOCS_IMAGES === '1' ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/images') : undefined;

async function docsImage(page, name) {
  if (DOCS_IMAGES) await page.screenshot({ path: path.join(DOCS_IMAGES, name) });
}

const EDITOR = '.editor-group-container .monaco-editor';
const SQUIGGLE = `${EDITOR} .squiggly-error, ${EDITOR} .squiggly-warning`;

async function visibleText(locator, pattern, timeout) {
  await locator.first().waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const texts = (await locator.allTextContents()).map((t) => t.replace(/\s+/g, ' '));
    const hit = texts.find((t) => pattern.test(t));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no element matched ${pattern}; saw: ${texts.join(' | ').slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Clicks `target` and opens the quick-fix menu, trying again when the menu does not show (a key
 * press can land while the editor is still taking focus on a loaded machine).
 */
async function openQuickFix(page, target, attempts = 3) {
  const menu = page.locator('.action-widget .monaco-list-row').first();
  for (let i = 1; ; i++) {
    await target.click({ force: true });
    await page.keyboard.press('Control+.');
    try {
      await menu.waitFor({ state: 'visible', timeout: 10_000 });
      return;
    } catch (e) {
      if (i >= attempts) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

async function visibleAttr(locator, name, pattern, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = (await locator.first().getAttribute(name)) ?? '';
    if (pattern.test(v)) return v;
    if (Date.now() > deadline) throw new Error(`${name} did not match ${pattern}; saw: ${v}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  // Wait for the list to show the file (it may still hold the previous search's rows).
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
  await visibleText(page.locator('.tab.active'), new RegExp(name.replace('.', '\\.')), 10_000);
}

/** Runs a palette command by its title. */
async function runCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

/** A row of the AI Supply Chain view. */
function supplyRow(page, text) {
  return page.locator('.pane-body .monaco-list-row', { hasText: text }).first();
}

/** Runs the steps on `page` (already at the workbench with `folder` open). */
export async function runUiSuite(page, { shotsDir, timeout = 30_000 }) {
  const results = [];
  const step = async (name, shot, fn) => {
    const started = Date.now();
    try {
      const detail = await fn();
      results.push({ title: `ui: ${name}`, ok: true, detail, ms: Date.now() - started });
    } catch (err) {
      results.push({ title: `ui: ${name}`, ok: false, error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
    }
    await page.screenshot({ path: path.join(shotsDir, shot) }).catch(() => undefined);
  };

  await step('workbench loads', '00-workbench.png', async () => {
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'visible', timeout });
  });

  await step('squiggle under the vulnerable pin in requirements.txt', '01-squiggle.png', async () => {
    await openFile(page, 'requirements.txt');
    await page.locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout });
    return `${await page.locator(SQUIGGLE).count()} squiggles`;
  });

  await step('hover shows the advisory', '02-hover.png', async () => {
    await page.locator(SQUIGGLE).first().hover({ force: true });
    return visibleText(page.locator('.monaco-hover:visible'), /PYSEC-2018-28|CVE-2018-18074/, timeout);
  });

  await step('quick-fix menu offers "pin safe version"', '03-quickfix.png', async () => {
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    await openQuickFix(page, page.locator(SQUIGGLE).first());
    // Left open for the screenshot; the next step closes it.
    return visibleText(page.locator('.action-widget .monaco-list-row'), /pin|safe/i, timeout);
  });

  await step('Problems panel row with the rule code', '04-problems.png', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');
    return visibleText(page.locator('.markers-panel .monaco-list-row'), /vulnerable-dependency/, timeout);
  });

  await step('language status item shows the scan state', '05-status.png', async () => {
    // The language status follows the active editor: give the editor focus back first.
    await page.locator(`${EDITOR} .view-lines`).first().click();
    const entry = page.locator('[id="status.languageStatus"]');
    await entry.waitFor({ state: 'visible', timeout });
    const label = await visibleAttr(entry, 'aria-label', /AI Dependency Risk: .*\d+ (error|warning)/, timeout);
    await entry.click();
    await visibleText(page.locator('.workbench-hover:visible, .monaco-hover:visible'), /AI Dependency Risk/, timeout);
    return label;
  });

  await step('torch.load squiggle and the weights_only=True quick fix in train.py', '06-torch-load.png', async () => {
    await page.keyboard.press('Escape');
    await openFile(page, 'train.py');
    const squiggle = page.locator(SQUIGGLE).first();
    await squiggle.waitFor({ state: 'visible', timeout });
    await openQuickFix(page, squiggle);
    return visibleText(page.locator('.action-widget .monaco-list-row'), /weights_only=True/, timeout);
  });

  await step('AI Supply Chain view lists projects, packages and models', '07-supply-chain.png', async () => {
    await page.keyboard.press('Escape');
    // Room for the tree: no panel, a wider side bar, the folder view collapsed.
    if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    if (sidebar) {
      const x = sidebar.x + sidebar.width + 1;
      const y = sidebar.y + sidebar.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 240, y, { steps: 8 });
      await page.mouse.up();
    }
    await runCommand(page, 'AI Dependency Risk: Show Supply Chain');
    const folderHeader = page.locator('.split-view-view:has(.explorer-folders-view) .pane-header').first();
    if ((await folderHeader.getAttribute('aria-expanded').catch(() => null)) === 'true') await folderHeader.click();
    // The model file comes from the server's background scan; the view asks again when refreshed.
    for (const text of ['requests 2.19.0', 'torch 2.6.0', 'acme/sentiment-base', 'weights/evil.pt']) await supplyRow(page, text).waitFor({ state: 'visible', timeout: 60_000 });
    const deadline = Date.now() + 60_000;
    while (!(await supplyRow(page, 'models/classifier.pkl').isVisible())) {
      if (Date.now() > deadline) throw new Error('models/classifier.pkl not in the view');
      await runCommand(page, 'AI Dependency Risk: Refresh Supply Chain');
      await supplyRow(page, 'models/classifier.pkl').waitFor({ state: 'visible', timeout: 5000 }).catch(() => undefined);
    }
    await page.mouse.move(0, 0);
    const rows = await page.locator('.pane-body .monaco-list-row').allTextContents();
    return `${rows.length} rows`;
  });

  await step('clicking a package in the view opens its manifest at the line', '08-supply-chain-open.png', async () => {
    await supplyRow(page, 'requests 2.19.0').click();
    await visibleText(page.locator('.tab.active'), /requirements\.txt/, timeout);
    const where = await visibleText(page.locator('[id="status.editor.selection"]'), /Ln 2, Col/, timeout);
    await docsImage(page, 'supply-chain.png');
    return where;
  });

  await step('Show Environment of Current File names the project and the deciding files', '09-environment.png', async () => {
    await openFile(page, 'train.py');
    await runCommand(page, 'AI Dependency Risk: Show Environment of Current File');
    const row = await visibleText(page.locator('.quick-input-widget .monaco-list-row'), /requirements\.txt/, timeout);
    await page.mouse.move(0, 0);
    await docsImage(page, 'environment.png');
    return row;
  });

  return results;
}
