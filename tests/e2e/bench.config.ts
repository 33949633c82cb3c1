import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Browser benchmarks (not part of the CI test command): scripts/bench-browser.sh runs them.
export default defineConfig({ ...base, testDir: './bench', testMatch: '**/*.bench.ts', workers: 1, retries: 0, timeout: 180_000 });
