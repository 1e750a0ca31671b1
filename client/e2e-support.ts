/**
 * What the browser tests share: a copy of the demo database served by the real server in a
 * child process, Debian's Chromium through playwright-core, pages that record console errors.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_DB_PATH, ROOT } from '../scripts/lib/paths';
import { startServerProcess, type ServerProcess } from '../scripts/lib/server-process';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results');
export const hasChromium = existsSync(CHROMIUM);
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface E2e {
  base: string;
  browser: Browser;
  /** A scratch directory for files the test writes (removed at the end). */
  dir: string;
  stop: () => Promise<void>;
}

/** A fresh copy of the demo database behind the real server on a random port, and Chromium. */
export async function startE2e(name: string, basePort: number): Promise<E2e> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), `peta-${name}-e2e-`));
  const dbPath = path.join(dir, 'peta.duckdb');
  copyFileSync(DEMO_DB_PATH, dbPath);
  const port = basePort + Math.floor(Math.random() * 1000);
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess({ dbPath, port });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    return {
      base: server.base,
      browser,
      dir,
      stop: async () => {
        await browser.close();
        server!.stop();
        await server!.exited;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A page in a context of its own (its own cookies), recording console and page errors. */
export async function openPage(
  e2e: E2e,
  url: string,
  viewport = DESKTOP,
): Promise<{ page: Page; errors: string[] }> {
  const context = await e2e.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${e2e.base}${url}`);
  return { page, errors };
}

/** Failed requests the browser logs by itself; a test names the statuses it expects. */
export function unexpected(errors: string[], statuses: number[] = []): string[] {
  return errors.filter(
    (e) =>
      !statuses.some((s) =>
        e.includes(`Failed to load resource: the server responded with a status of ${s}`),
      ),
  );
}

/** Signs in through the Masuk form. */
export async function signInThroughForm(page: Page, token: string): Promise<void> {
  await page.getByTestId('token').fill(token);
  await page.getByTestId('signin-submit').click();
}

/** A screenshot of what the screen shows now, or of the whole page from its top. */
export async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage });
}
