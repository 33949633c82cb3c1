// Prepares a picked file for storage on the device, off the page's thread: a photo is
// decoded by the browser (createImageBitmap, EXIF orientation applied), scaled down on an
// OffscreenCanvas and encoded as JPEG; a thumbnail is made for lists; the result and the
// original are hashed with crypto.subtle. The wasm module carries no image codec.
//
// Message in:  { id, file, photo, longest, quality, keepBytes, thumbLongest }
// Message out: { id, ok: true, blob, mediaType, sha256, sourceSha256, width, height, thumb, ms }
//           or { id, ok: false, error }

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

async function sha256(blob) {
  return hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
}

// Longest side at most `longest`, proportions kept, never scaled up
// (the same rule as konvergen_shared::files::scaled_size).
function scaled(width, height, longest) {
  const side = Math.max(width, height);
  if (side <= longest) return [width, height];
  return [Math.max(1, Math.round((width * longest) / side)), Math.max(1, Math.round((height * longest) / side))];
}

async function encode(bitmap, longest, quality) {
  const [width, height] = scaled(bitmap.width, bitmap.height, longest);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  return { blob: await canvas.convertToBlob({ type: 'image/jpeg', quality }), width, height };
}

async function preparePhoto(message) {
  const { file, longest, quality, keepBytes, thumbLongest } = message;
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const compact = file.type === 'image/jpeg' || file.type === 'image/webp';
    const keep = compact && file.size <= keepBytes && Math.max(bitmap.width, bitmap.height) <= longest;
    const full = keep
      ? { blob: file, width: bitmap.width, height: bitmap.height }
      : await encode(bitmap, longest, quality);
    const thumb = await encode(bitmap, thumbLongest, 0.7);
    return { ...full, mediaType: full.blob.type || file.type, thumb: thumb.blob };
  } finally {
    bitmap.close();
  }
}

self.onmessage = async (event) => {
  const message = event.data;
  const started = performance.now();
  try {
    const prepared = message.photo
      ? await preparePhoto(message)
      : { blob: message.file, mediaType: message.file.type, width: 0, height: 0, thumb: null };
    const [hash, sourceHash] = await Promise.all([
      sha256(prepared.blob),
      prepared.blob === message.file ? null : sha256(message.file),
    ]);
    self.postMessage({
      id: message.id,
      ok: true,
      ...prepared,
      sha256: hash,
      sourceSha256: sourceHash || hash,
      ms: performance.now() - started,
    });
  } catch (error) {
    self.postMessage({ id: message.id, ok: false, error: String((error && error.message) || error) });
  }
};
