/**
 * The application printed in the official layout as PDF (`GET /cases/:id/application.pdf`): the
 * form's sections and fields in their printed order with the printed labels, from the case data,
 * without the fields the print does not have (description starting `系统补充项`,
 * templates/README.md). As many copies as the city's settings say (常州: 一式三份), each on its
 * own pages. Personal data is masked for everyone but the applicant, as in `GET /cases/:id`.
 */
import { maskSensitiveData, type FieldSchema } from '@lianban/runtime';
import { loadCityDocuments } from '@lianban/templates';
import type { Models } from '../models';
import { audit, type Actor } from './audit';
import { visibleCase } from './case-access';
import type { Viewer } from './case-view';
import { matterVersion } from './definitions';
import { chineseDate } from './document-text';
import { newPdf } from './document-pdf';

/** Most fields, table rows and nesting printed (the schema and data are bounded, this bounds the walk too). */
const MAX_ENTRIES = 2000;
const MAX_DEPTH = 8;
const MAX_COPIES = 5;
const SUPPLEMENT = '系统补充项';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema };

/** A printed line: a section heading, a label with its value, a table, or a note. */
type Entry =
  | { kind: 'section'; title: string }
  | { kind: 'field'; label: string; value: string }
  | { kind: 'table'; label: string; columns: string[]; rows: string[][] }
  | { kind: 'note'; title: string; text: string };

const isSupplement = (s: Schema) => typeof s.description === 'string' && s.description.trimStart().startsWith(SUPPLEMENT);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function ordered(props: Record<string, Schema> | undefined): [string, Schema][] {
  const list = Object.entries(props ?? {}).filter(([, s]) => s && typeof s === 'object');
  // Formily's x-index orders fields when present; otherwise the schema's own order.
  return list.map((e, i) => [e, typeof e[1]['x-index'] === 'number' ? e[1]['x-index'] as number : i] as const)
    .sort((a, b) => a[1] - b[1]).map(([e]) => e);
}

/** The printed text of a value: enum labels, 是/否, files by name. */
export function printedValue(schema: Schema, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const enumList = Array.isArray(schema.enum) ? schema.enum as unknown[] : null;
  const label = (v: unknown): string => {
    if (enumList) {
      const hit = enumList.find((e) => (e && typeof e === 'object' ? (e as { value?: unknown }).value === v : e === v));
      if (hit && typeof hit === 'object') return String((hit as { label?: unknown }).label ?? v);
    }
    if (typeof v === 'boolean') return v ? '是' : '否';
    if (v && typeof v === 'object') return str((v as { name?: unknown }).name) || '';
    return String(v);
  };
  if (Array.isArray(value)) {
    const parts = value.slice(0, 100).map(label).filter(Boolean);
    return schema['x-field-type'] === 'upload' ? (parts.length ? `已提交 ${value.length} 份：${parts.join('、')}` : '') : parts.join('、');
  }
  return label(value);
}

/** The entries of the printed form, in order, without the 系统补充项. */
export function printedEntries(schema: Schema, data: Record<string, unknown>): Entry[] {
  const out: Entry[] = [];
  const walk = (props: Record<string, Schema> | undefined, values: Record<string, unknown>, depth: number) => {
    if (depth > MAX_DEPTH) return;
    for (const [name, s] of ordered(props)) {
      if (out.length >= MAX_ENTRIES) return;
      if (isSupplement(s) || s['x-hidden'] === true || s['x-display'] === 'hidden') continue;
      const title = str(s.title) || name;
      if (s['x-field-type'] === 'help') { out.push({ kind: 'note', title, text: str(s.description) }); continue; }
      if (s.type === 'void') {
        if (s['x-field-type'] === 'section') out.push({ kind: 'section', title });
        walk(s.properties, values, depth + 1);
        continue;
      }
      const value = values[name];
      if (s.type === 'object' && s.properties) {
        out.push({ kind: 'section', title });
        walk(s.properties, value && typeof value === 'object' ? value as Record<string, unknown> : {}, depth + 1);
        continue;
      }
      if (s.type === 'array' && s.items?.properties) {
        const cols = ordered(s.items.properties).filter(([, c]) => !isSupplement(c));
        const rows = (Array.isArray(value) ? value : []).slice(0, 200).map((row) =>
          cols.map(([k, c]) => printedValue(c, row && typeof row === 'object' ? (row as Record<string, unknown>)[k] : undefined)));
        out.push({ kind: 'table', label: title, columns: cols.map(([k, c]) => str(c.title) || k), rows });
        continue;
      }
      out.push({ kind: 'field', label: title, value: printedValue(s, value) });
    }
  };
  walk(schema.properties, data, 0);
  return out;
}

export interface PrintedApplication { caseNo: string; pdf: Buffer }

/** The application of a case the viewer may see, as PDF (audited: `application.printed`). */
export async function applicationPdf(models: Models, viewer: Viewer, caseId: string, actor: Actor): Promise<PrintedApplication> {
  const doc = await visibleCase(models, viewer, caseId);
  const matter = await matterVersion(models, doc.tenant, doc.matter.key, doc.matter.version);
  const form = matter.forms.find((f) => f.key === doc.form);
  const schema = (form?.schema ?? { properties: {} }) as Schema;
  const own = doc.applicant === viewer.id;
  const data = own ? doc.data : maskSensitiveData(doc.data, schema as unknown as FieldSchema);
  const settings = loadCityDocuments(doc.tenant)?.settings;
  const copies = Math.max(1, Math.min(MAX_COPIES, Math.floor(Number(settings?.applicationCopies) || 1)));
  const tenant = await models.Tenant.findById(doc.tenant).lean();
  const title = str(schema.title) || form?.title || doc.matter.title;
  const entries = printedEntries(schema, data);
  const pdf = await renderApplication({
    title, issuer: settings?.issuer || tenant?.name || doc.tenant, caseNo: doc.no ?? '（草稿，未编号）',
    submitted: chineseDate(doc.submittedAt), entries, copies, createdAt: doc.submittedAt ?? doc.createdAt ?? new Date(),
  });
  await audit(models, actor, 'application.printed', `case:${String(doc._id)}`, { caseNo: doc.no, copies, masked: !own });
  return { caseNo: doc.no ?? 'draft', pdf };
}

const COPY_NAMES = ['一', '二', '三', '四', '五'];

async function renderApplication(p: { title: string; issuer: string; caseNo: string; submitted: string; entries: Entry[]; copies: number; createdAt: Date }): Promise<Buffer> {
  const { doc, done } = await newPdf({ title: p.title, author: p.issuer, createdAt: p.createdAt });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const labelWidth = 170;
  const pad = 4;

  const cell = (text: string, x: number, y: number, w: number, h: number, opts: { fill?: string; align?: 'left' | 'center' } = {}) => {
    if (opts.fill) doc.rect(x, y, w, h).fillAndStroke(opts.fill, '#000');
    else doc.rect(x, y, w, h).stroke();
    doc.fillColor('#000').text(text, x + pad, y + pad, { width: w - 2 * pad, align: opts.align ?? 'left' });
  };
  const room = (h: number) => { if (doc.y + h > bottom()) { doc.addPage(); doc.y = doc.page.margins.top; } };

  for (let copy = 0; copy < p.copies; copy++) {
    if (copy > 0) doc.addPage();
    doc.lineWidth(0.6).fontSize(18).text(p.title, left, doc.page.margins.top, { width, align: 'center' });
    doc.moveDown(0.3).fontSize(9.5).fillColor('#000')
      .text(`办件编号：${p.caseNo}\u3000\u3000提交日期：${p.submitted || '—'}\u3000\u3000第${COPY_NAMES[copy] ?? copy + 1}份，共${COPY_NAMES[p.copies - 1] ?? p.copies}份`, left, doc.y, { width, align: 'right' });
    doc.moveDown(0.6);
    doc.fontSize(10.5);
    for (const e of p.entries) {
      if (e.kind === 'section') {
        const h = doc.heightOfString(e.title, { width: width - 2 * pad }) + 2 * pad;
        room(h + 20);
        const y = doc.y;
        cell(e.title, left, y, width, h, { fill: '#e8e8e8', align: 'center' });
        doc.y = y + h;
      } else if (e.kind === 'field') {
        const h = Math.max(doc.heightOfString(e.label, { width: labelWidth - 2 * pad }), doc.heightOfString(e.value || ' ', { width: width - labelWidth - 2 * pad })) + 2 * pad;
        room(h);
        const y = doc.y;
        cell(e.label, left, y, labelWidth, h);
        cell(e.value, left + labelWidth, y, width - labelWidth, h);
        doc.y = y + h;
      } else if (e.kind === 'table') {
        const h0 = doc.heightOfString(e.label, { width: width - 2 * pad }) + 2 * pad;
        room(h0 * 3);
        let y = doc.y;
        cell(e.label, left, y, width, h0, { fill: '#f4f4f4' });
        y += h0;
        const cw = width / Math.max(1, e.columns.length);
        const rowHeight = (row: string[]) => Math.max(...row.map((t) => doc.heightOfString(t || ' ', { width: cw - 2 * pad }))) + 2 * pad;
        const rows = [e.columns, ...(e.rows.length ? e.rows : [e.columns.map(() => '')])];
        for (const [ri, row] of rows.entries()) {
          const h = rowHeight(row);
          doc.y = y;
          room(h);
          y = doc.y;
          row.forEach((t, ci) => cell(t, left + ci * cw, y, cw, h, ri === 0 ? { align: 'center' } : {}));
          y += h;
        }
        doc.y = y;
      } else {
        doc.moveDown(0.5);
        room(40);
        doc.fontSize(9.5).text(`${e.title}：`, left, doc.y, { width }).text(e.text, { width, lineGap: 2 }).fontSize(10.5);
      }
    }
    doc.moveDown(1.5);
    room(40);
    doc.fontSize(11).text('申请人（签字）：____________________　　　　日期：______年____月____日', left, doc.y, { width, align: 'right' });
  }
  doc.end();
  return done;
}
