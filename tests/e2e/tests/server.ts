// A real konvergen-server per test file: its own port, its own temporary database.
import { test as base } from '@playwright/test';
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export interface ServerOptions {
  /** Seed the demo data and demo logins. */
  demo?: boolean;
  /** Folder with the built app; defaults to KONVERGEN_DIST. */
  staticDir?: string;
}

export class KonvergenServer {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'konvergen-e2e-'));
  private process?: ChildProcess;
  port = 0;

  constructor(private readonly options: ServerOptions = {}) {}

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const bin = requireEnv('KONVERGEN_SERVER_BIN');
    const args = ['--bind', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir,
      '--static-dir', this.options.staticDir ?? requireEnv('KONVERGEN_DIST')];
    if (this.options.demo !== false) args.push('--demo');
    this.process = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    await this.waitHealthy();
  }

  /** Stops the server the hard way (SIGKILL), as a crash or power cut would. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.baseURL}/api/v1/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`konvergen-server did not become healthy on ${this.baseURL}`);
  }
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through scripts/test.sh`);
  return value;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** `server` fixture: a fresh demo server (own port, own database) for every test, so tests
 * never see each other's records. */
export const test = base.extend<{ server: KonvergenServer }>({
  server: async ({}, use) => {
    const server = new KonvergenServer({ demo: true });
    await server.start();
    await use(server);
    await server.dispose();
  },
  baseURL: async ({ server }, use) => {
    await use(server.baseURL);
  },
});

export { expect } from '@playwright/test';
