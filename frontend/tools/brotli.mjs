// Writes `<file>.br` beside each file named on the command line: brotli at its highest
// quality with the largest window, once at build time (the server sends the copies as they
// are). Node's own zlib, so the build needs no extra tool. Brotli makes the cadre's wasm
// module about 17 % smaller than the zopfli gzip copy (docs/benchmarks.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  const compressed = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  writeFileSync(`${file}.br`, compressed);
}
