/**
 * PDF rendering of official documents and printed applications (pdfkit). Chinese text is set in
 * Source Han Sans SC (思源黑体, npm `node-source-han-sans-sc`, SIL OFL), parsed once per process;
 * pdfkit embeds only the glyphs a document uses (a one-page notice is ~60 KB). The QR code
 * (npm `qrcode`) links to the document's verification address. See docs/documents.md.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { chineseDate, type DocumentContent } from './document-text';

const FONT_FILE = 'node-source-han-sans-sc/SourceHanSansSC-Regular.otf';
export const CJK = 'cjk';

let font: Promise<fontkit.Font> | null = null;

/** The CJK font, read and parsed once (shared by every document: pdfkit subsets per document). */
export function cjkFont(): Promise<fontkit.Font> {
  font ??= (async () => {
    const path = createRequire(import.meta.url).resolve(FONT_FILE);
    return fontkit.create(await readFile(path)) as fontkit.Font;
  })();
  font.catch(() => { font = null; });
  return font;
}

/** A new A4 document with the CJK font registered as `cjk`; `done` resolves to the PDF bytes after `doc.end()`. */
export async function newPdf(info: { title: string; author: string; createdAt: Date }): Promise<{ doc: PDFKit.PDFDocument; done: Promise<Buffer> }> {
  const cjk = await cjkFont();
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 64, bottom: 56, left: 72, right: 72 },
    info: { Title: info.title, Author: info.author, Producer: 'Lianban', Creator: 'Lianban', CreationDate: info.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(CJK, cjk as unknown as Buffer);
  doc.font(CJK);
  return { doc, done };
}

/** One official document, one A4 page (more when the text is long): issuer, title, number, text, date, QR code. */
export async function renderDocumentPdf(content: DocumentContent, verifyUrl: string): Promise<Buffer> {
  const { doc, done } = await newPdf({ title: content.title, author: content.issuer, createdAt: content.issuedAt });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  doc.fontSize(15).text(content.issuer, { align: 'center' });
  doc.moveDown(0.4);
  doc.fontSize(22).text(content.title, { align: 'center', characterSpacing: 2 });
  doc.moveDown(0.5);
  doc.fontSize(10.5).text(`办件编号：${content.caseNo}`, { align: 'right' });
  doc.moveDown(0.3);
  const ruleY = doc.y;
  doc.moveTo(left, ruleY).lineTo(left + width, ruleY).lineWidth(0.8).stroke();
  doc.moveDown(1);
  doc.fontSize(12.5);
  for (const [i, line] of content.lines.entries()) {
    // The salutation (first line, ending in "：") and list entries are not indented.
    const indent = line.list || (i === 0 && line.text.endsWith('：')) ? (line.list ? 25 : 0) : 25;
    doc.text(line.text, left + (line.list ? 25 : 0), doc.y, { width: width - (line.list ? 25 : 0), indent: line.list ? 0 : indent, lineGap: 5, paragraphGap: 6 });
  }
  doc.moveDown(2);
  doc.fontSize(12.5).text(content.issuer, left, doc.y, { width, align: 'right' });
  doc.text(chineseDate(content.issuedAt), left, doc.y, { width, align: 'right' });

  // The verification QR code at the foot of the last page.
  const qr = await QRCode.toBuffer(verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
  const size = 84;
  let y = doc.page.height - doc.page.margins.bottom - size - 14;
  if (doc.y > y - 8) { doc.addPage(); y = doc.page.height - doc.page.margins.bottom - size - 14; }
  doc.image(qr, left, y, { width: size, height: size });
  doc.fontSize(9).fillColor('#444')
    .text('扫描二维码或访问下列地址核验本文书真伪：', left + size + 12, y + 12, { width: width - size - 12 });
  // The address in fixed slices, one line each: pdfkit's own wrapping may drop a character at a "-".
  doc.fontSize(8);
  const x = left + size + 12;
  let lineY = doc.y + 2;
  for (let i = 0; i < verifyUrl.length && i < 600; i += 60, lineY += 11) doc.text(verifyUrl.slice(i, i + 60), x, lineY, { lineBreak: false });
  doc.end();
  return done;
}
