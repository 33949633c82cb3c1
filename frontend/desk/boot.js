// Starts a wasm module served from a subdirectory: the desk (/desk/) and the cadre app's full
// module (/scorecard/). It is an external file rather than Trunk's inline loader because the
// Content-Security-Policy admits only 'self' scripts and the first-load module's inline
// loader (by hash). Trunk writes the hashed file names into the script tag's data attributes.
const tag = document.querySelector('script[data-js]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
