import { defineConfig } from '@playwright/test';

// One worker: each test drives a whole browser with the extension, and the machine has 2 cores.
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'off' },
});
