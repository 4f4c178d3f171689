/**
 * Reading the platform's PDFs in tests: `pdfText` runs pdftotext (Debian `poppler-utils`, which
 * `.ci/run` installs) on the bytes, `binary` makes supertest hand a PDF body over as a Buffer.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';

let tmp: string | undefined;

/** The text of a PDF as pdftotext reads it; `squash`: without any white space (wrapped lines joined). */
export function pdfText(pdf: Uint8Array, opts: { squash?: boolean } = {}): string {
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-pdf-'));
  const file = path.join(tmp, `${randomUUID()}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return opts.squash ? text.replace(/\s+/g, '') : text;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** supertest's parser for binary bodies: `.buffer(true).parse(binary)`. */
export function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
