// Evidence files (issue #14): the phone-side preparation of a 12-megapixel photo in the real
// files worker (headless Chromium, 360x640), and upload throughput of photos and PDFs into
// the blob store of a real release server (Node's fetch, sequential and 4 at once, new and
// already-stored content). Prints one JSON line.
import { test, expect } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { KonvergenServer } from '../tests/server';

const SOURCE = { width: 4000, height: 3000 };
const PREPARE = { photo: true, longest: 1600, quality: 0.75, keepBytes: 1048576, thumbLongest: 240 };
const TIMED_RUNS = 5;
const PHOTO_BYTES = 300 * 1024;
const PDF_BYTES = 2 * 1024 * 1024;
const PHOTOS = 40;
const PDFS = 10;
const CONCURRENCY = 4;

test('evidence file figures', async ({ browser }) => {
  test.setTimeout(300_000);
  const server = new KonvergenServer({ demo: true });
  await server.start();
  try {
    const downscale = await downscaleFigures(browser, server.baseURL);
    const upload = await uploadFigures(server.baseURL);
    const result = { downscale, upload };
    console.log(JSON.stringify(result));
    writeFileSync(process.env.BENCH_FILES_OUT ?? '/tmp/konvergen-files-bench.json', JSON.stringify(result, null, 2));
  } finally {
    await server.dispose();
  }
});

// (a) A 4000x3000 photo-like JPEG, made on an OffscreenCanvas in the page, prepared by
// /desk/files-worker.js as the app does: one warm-up run (includes the worker's start-up:
// script fetch, parse) reported apart, then TIMED_RUNS timed runs.
async function downscaleFigures(browser: import('@playwright/test').Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  // An empty document at the server's origin (no app, no service worker): the worker script
  // itself comes from the real server.
  await page.route(`${baseURL}/bench-files`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>files bench</title>' }));
  await page.goto('/bench-files');
  const figures = await page.evaluate(async ({ SOURCE, PREPARE, TIMED_RUNS }) => {
    const made = performance.now();
    const { width, height } = SOURCE;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d')!;
    const image = context.createImageData(width, height);
    const data = image.data;
    // Sensor-like grain: with JPEG quality 0.92 this gives a file of about 4 MB, as a
    // 12 MP phone camera writes.
    const NOISE = 36;
    // xorshift32: fast noise, the same every run.
    let seed = 0x9e3779b9;
    const next = () => {
      seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        // A smooth gradient, some low-frequency structure, and sensor-like noise.
        const shade = 40 * Math.sin(x / 97) * Math.cos(y / 131);
        const grain = (next() - 0.5) * NOISE;
        data[i] = 60 + (150 * x) / width + shade + grain;
        data[i + 1] = 50 + (140 * y) / height - shade + (next() - 0.5) * NOISE;
        data[i + 2] = 90 + (80 * (x + y)) / (width + height) + shade / 2 + (next() - 0.5) * NOISE;
        data[i + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
    const encoded = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    const file = new File([encoded], 'IMG_0001.jpg', { type: 'image/jpeg' });
    const sourceMs = performance.now() - made;

    const hex = (buffer: ArrayBuffer) =>
      Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
    const sourceSha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));

    const startedWorker = performance.now();
    const worker = new Worker('/desk/files-worker.js');
    let id = 0;
    const prepare = () => new Promise<any>((resolve, reject) => {
      const mine = ++id;
      const started = performance.now();
      worker.onmessage = (event) => {
        if (event.data.id !== mine) return;
        resolve({ ...event.data, roundTripMs: performance.now() - started });
      };
      worker.onerror = (event) => reject(new Error(`worker error: ${event.message}`));
      worker.postMessage({ id: mine, file, ...PREPARE });
    });
    const first = await prepare();
    const firstRunMs = performance.now() - startedWorker;
    if (!first.ok) return { error: first.error };
    const runs = [];
    for (let run = 0; run < TIMED_RUNS; run++) runs.push(await prepare());
    worker.terminate();
    const last = runs[runs.length - 1];
    const outputSha256 = hex(await crypto.subtle.digest('SHA-256', await last.blob.arrayBuffer()));
    const bitmap = await createImageBitmap(last.blob);
    const decoded = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return {
      source: { width, height, megapixels: (width * height) / 1e6, bytes: file.size, sourceMs: Math.round(sourceMs) },
      firstRunMs: Math.round(firstRunMs),
      runs: runs.map((r) => ({ ok: r.ok, roundTripMs: r.roundTripMs, workerMs: r.ms, width: r.width, height: r.height,
        bytes: r.blob?.size, mediaType: r.mediaType, sha256: r.sha256, sourceSha256: r.sourceSha256 })),
      output: { width: last.width, height: last.height, decoded, bytes: last.blob.size, mediaType: last.mediaType,
        thumbBytes: last.thumb?.size ?? 0, hashMatches: outputSha256 === last.sha256,
        sourceHashMatches: sourceSha256 === last.sourceSha256 },
    };
  }, { SOURCE, PREPARE, TIMED_RUNS });
  await context.close();

  expect(figures, JSON.stringify(figures)).not.toHaveProperty('error');
  const f = figures as Exclude<typeof figures, { error: unknown }>;
  for (const run of f.runs) {
    expect(run.ok).toBe(true);
    expect([run.width, run.height]).toEqual([1600, 1200]);
    expect(run.mediaType).toBe('image/jpeg');
  }
  expect(f.output.decoded).toEqual({ width: 1600, height: 1200 });
  expect(f.output.hashMatches).toBe(true);
  expect(f.output.sourceHashMatches).toBe(true);
  const roundTrips = f.runs.map((r) => r.roundTripMs);
  return {
    source: f.source,
    firstRunMsWithWorkerStart: f.firstRunMs,
    timedRuns: TIMED_RUNS,
    ms: stats(roundTrips),
    workerMs: stats(f.runs.map((r) => r.workerMs)),
    runsMs: roundTrips.map((ms) => Math.round(ms)),
    output: { width: f.output.width, height: f.output.height, bytes: f.output.bytes, mediaType: f.output.mediaType,
      thumbBytes: f.output.thumbBytes },
  };
}

// (b) PUT /api/v1/blobs/{sha256} from Node, one connection pool, the demo supervisor's token.
async function uploadFigures(baseURL: string) {
  const login = await fetch(`${baseURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'supervisor.banjar', password: 'supervisor123' }),
  });
  expect(login.status).toBe(200);
  const { token } = (await login.json()) as { token: string };
  const bearer = `Bearer ${token}`;

  const put = async (body: Upload) => {
    const response = await fetch(`${baseURL}/api/v1/blobs/${body.sha256}`, {
      method: 'PUT',
      headers: { authorization: bearer, 'content-type': body.mediaType },
      body: body.bytes,
    });
    const receipt = (await response.json()) as { sha256: string; size: number; stored: boolean };
    return { status: response.status, receipt };
  };
  const head = async (body: Upload) =>
    (await fetch(`${baseURL}/api/v1/blobs/${body.sha256}`, { method: 'HEAD', headers: { authorization: bearer } })).status;

  // Uploads every body, `concurrency` at a time; checks each answer.
  const run = async (bodies: Upload[], concurrency: number, expected: 201 | 200) => {
    let nextIndex = 0;
    const started = performance.now();
    const uploader = async () => {
      while (nextIndex < bodies.length) {
        const body = bodies[nextIndex++];
        const { status, receipt } = await put(body);
        expect(status, JSON.stringify(receipt)).toBe(expected);
        expect(receipt.stored).toBe(expected === 201);
        expect(receipt.sha256).toBe(body.sha256);
        expect(receipt.size).toBe(body.bytes.length);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, uploader));
    const ms = performance.now() - started;
    const bytes = bodies.reduce((sum, body) => sum + body.bytes.length, 0);
    return {
      files: bodies.length,
      concurrency,
      ms: Math.round(ms),
      msPerFile: +(ms / bodies.length).toFixed(1),
      filesPerS: +((bodies.length * 1000) / ms).toFixed(1),
      MBPerS: +(bytes / 1e6 / (ms / 1000)).toFixed(1),
    };
  };

  const headAll = async (bodies: Upload[]) => {
    const started = performance.now();
    for (const body of bodies) expect(await head(body)).toBe(200);
    const ms = performance.now() - started;
    return { files: bodies.length, ms: Math.round(ms), msPerFile: +(ms / bodies.length).toFixed(2) };
  };

  // Warm-up (connection, first blocking-pool threads), not counted.
  const warm = jpegBody(PHOTO_BYTES);
  expect((await put(warm)).status).toBe(201);

  const photos = Array.from({ length: PHOTOS }, () => jpegBody(PHOTO_BYTES));
  const pdfs = Array.from({ length: PDFS }, () => pdfBody(PDF_BYTES));
  const photos4 = Array.from({ length: PHOTOS }, () => jpegBody(PHOTO_BYTES));
  const pdfs4 = Array.from({ length: PDFS }, () => pdfBody(PDF_BYTES));

  const photo = {
    bytesEach: PHOTO_BYTES,
    sequential: await run(photos, 1, 201),
    concurrent: await run(photos4, CONCURRENCY, 201),
    repeated: await run(photos, 1, 200),
    headStored: await headAll(photos),
  };
  const pdf = {
    bytesEach: PDF_BYTES,
    sequential: await run(pdfs, 1, 201),
    concurrent: await run(pdfs4, CONCURRENCY, 201),
    repeated: await run(pdfs, 1, 200),
    headStored: await headAll(pdfs),
  };
  return { photo, pdf };
}

interface Upload {
  bytes: Uint8Array;
  sha256: string;
  mediaType: string;
}

function body(prefix: Uint8Array, size: number, mediaType: string): Upload {
  const bytes = new Uint8Array(size);
  bytes.set(randomBytes(size));
  bytes.set(prefix);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), mediaType };
}

/** A JPEG-like body: SOI + JFIF APP0 header, then random bytes (sniffed as JPEG by the server). */
function jpegBody(size: number): Upload {
  const app0 = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  return body(Uint8Array.from(app0), size, 'image/jpeg');
}

/** A PDF-like body: `%PDF-1.4\n`, then random bytes. */
function pdfBody(size: number): Upload {
  return body(new TextEncoder().encode('%PDF-1.4\n'), size, 'application/pdf');
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: Math.round(sorted[0]), median: Math.round(median), max: Math.round(sorted[sorted.length - 1]) };
}
