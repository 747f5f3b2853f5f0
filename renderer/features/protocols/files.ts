/**
 * Protocols as files: export downloads the document as JSON (Blob + <a download>), import reads a
 * chosen file and checks it fully before anything is saved. Both work the same in the web host and
 * in Electron's renderer.
 */
import { parseProtocolJson, type Problem, type ProtocolInput } from '../../../shared/protocol';

/** Larger than any sane protocol; refusing early keeps a wrong file (a whole archive) from freezing the page. */
export const MAX_IMPORT_BYTES = 5_000_000;

export type ImportCheck = { ok: true; document: ProtocolInput; name: string; description: string } | { ok: false; problems: Problem[] };

/** Checks a file's text as a protocol: JSON syntax, format, every field, the safety limits. */
export function checkImport(text: string): ImportCheck {
  const result = parseProtocolJson(text);
  if (!result.ok) return { ok: false, problems: result.problems };
  // Keep the document as written (units and all); validation has just accepted it.
  const document = JSON.parse(text) as ProtocolInput;
  return { ok: true, document, name: result.document.name, description: result.document.description ?? '' };
}

export async function readImportFile(file: File): Promise<ImportCheck> {
  if (file.size > MAX_IMPORT_BYTES) {
    return { ok: false, problems: [{ path: '', code: 'type', message: `the file is ${(file.size / 1e6).toFixed(1)} MB; a protocol file is at most ${MAX_IMPORT_BYTES / 1e6} MB` }] };
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, problems: [{ path: '', code: 'type', message: `the file could not be read: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  return checkImport(text);
}

/** 'Paper spike train' → 'paper-spike-train.json'. */
export function exportFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '')
    .slice(0, 80);
  return `${slug || 'protocol'}.json`;
}

export function downloadJson(filename: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
