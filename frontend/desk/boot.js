// Starts the desk's wasm module. It is an external file rather than Trunk's inline loader
// because the Content-Security-Policy admits only 'self' scripts and the cadre app's inline
// loader (by hash). Trunk writes the hashed file names into the script tag's data attributes.
const tag = document.querySelector('script[data-js]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
