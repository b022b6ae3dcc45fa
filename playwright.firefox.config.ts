import { defineConfig } from '@playwright/test';

// Firefox ESR driven by puppeteer-core over WebDriver BiDi (Playwright's runner, not its browsers):
// `npm run test:firefox` builds the sandbox build for Firefox first.
export default defineConfig({
  testDir: 'tests/firefox',
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
});
