/*
 * Shared fixtures: every page records console errors and uncaught exceptions, and a test fails
 * if any page it visited logged one. Helpers to sign in and to read the catalog repository.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const appUrl = () => process.env.E2E_APP_URL!;
export const SCREENSHOTS = path.resolve(
  import.meta.dirname,
  '../../docs/screenshots',
);

export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      const watch = (page: Page) => {
        page.on('console', msg => {
          if (msg.type() === 'error')
            errors.push(`${page.url()}: console.error: ${msg.text()}`);
        });
        page.on('pageerror', err =>
          errors.push(`${page.url()}: uncaught: ${err.message}`),
        );
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(errors);
      expect(errors, 'console errors on the pages visited').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Signs in with the guest provider (the local default). */
export async function signIn(page: Page) {
  await page.goto(`${appUrl()}/`);
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('link', { name: 'Create' })).toBeVisible();
}

/** Opens a template's form from the Create page, as a user would. */
export async function openTemplate(page: Page, title: string) {
  await page.getByRole('link', { name: 'Create' }).click();
  // The card: the innermost element holding both the template's title and a Choose button.
  const card = page
    .locator('div')
    .filter({
      has: page.getByRole('heading', { level: 4, name: title, exact: true }),
    })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last();
  await card.getByRole('button', { name: 'Choose' }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: title, exact: true }),
  ).toBeVisible();
}

/** A file on a branch of the local GitHub's catalog repository (read with git itself). */
export function gitShow(ref: string, file: string): string {
  return execFileSync(
    'git',
    ['--git-dir', process.env.E2E_CATALOG_GIT_DIR!, 'show', `${ref}:${file}`],
    {
      encoding: 'utf8',
    },
  );
}

/** Pull requests through the local GitHub's REST API, as the action sees them. */
export async function pullRequests(): Promise<
  Array<{
    number: number;
    title: string;
    head: { ref: string };
    html_url: string;
  }>
> {
  const res = await fetch(
    `${process.env.E2E_GITHUB_URL}/api/v3/repos/local/catalog/pulls?state=all`,
    {
      headers: {
        authorization: 'token local-dev-token',
        accept: 'application/vnd.github+json',
      },
    },
  );
  expect(res.status).toBe(200);
  return res.json();
}

/** Waits until the catalog has the component `name` (asked as the guest user, through the API). */
export async function waitForEntity(name: string) {
  const backend = process.env.E2E_BACKEND_URL;
  const session = await fetch(`${backend}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(session.status).toBe(200);
  const { token } = (await session.json()).backstageIdentity;
  await expect(async () => {
    const res = await fetch(
      `${backend}/api/catalog/entities/by-name/component/default/${name}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(200);
  }).toPass({ timeout: 60_000 });
}
