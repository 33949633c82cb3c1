import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download cannot reach the network here.
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Each test file starts its own server on its own port, so files can run side by side;
  // two workers match the two cores of the CI machines.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    ...devices['Pixel 5'],
    // The cadre's phone: 360x640.
    viewport: { width: 360, height: 640 },
    locale: 'id-ID',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumFlags,
    },
  },
});
