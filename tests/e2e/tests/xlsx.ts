// Reads the cells of a worksheet out of an XLSX file (a ZIP of XML parts) with Node alone:
// enough to check the numbers and texts an export holds, not a general reader.
import { inflateRawSync } from 'node:zlib';

/** The files of a ZIP archive, by name, read through its central directory. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a ZIP archive');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = archive.readUInt16LE(at + 10);
    const size = archive.readUInt32LE(at + 20);
    const [nameLength, extraLength, commentLength] = [28, 30, 32].map((o) => archive.readUInt16LE(at + o));
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString();
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = archive.subarray(dataStart, dataStart + size);
    files.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** The cells of the first worksheet by reference (`"H5"`): numbers as numbers, texts as text. */
export function firstSheetCells(workbook: Buffer): Map<string, string | number> {
  const files = unzip(workbook);
  const strings = [...(files.get('xl/sharedStrings.xml')?.toString() ?? '').matchAll(/<si>(.*?)<\/si>/gs)].map((m) =>
    unescapeXml(m[1].replace(/<[^>]+>/g, '')),
  );
  const sheet = files.get('xl/worksheets/sheet1.xml')?.toString() ?? '';
  const cells = new Map<string, string | number>();
  for (const cell of sheet.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const [, ref, attributes, inner = ''] = cell;
    const value = /<v>(.*?)<\/v>/s.exec(inner)?.[1];
    const inline = /<t[^>]*>(.*?)<\/t>/s.exec(inner)?.[1];
    if (/t="s"/.test(attributes) && value !== undefined) cells.set(ref, strings[Number(value)]);
    else if (inline !== undefined) cells.set(ref, unescapeXml(inline));
    else if (value !== undefined) cells.set(ref, Number(value));
  }
  return cells;
}
