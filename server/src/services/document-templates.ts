/**
 * The city's document templates as data (docs/documents.md "Templates are data"): the city admin
 * edits the wording of the 受理回执, 补正告知书… and adds notices of its own in the designer
 * (「文书模板」), with no code.
 *
 *   const t = await templateFor(models, 'changzhou', 'receipt', caseDoc.submittedAt);   // the version in force then
 *   await saveTemplate(models, actor, 'changzhou', 'receipt', { title, paragraphs, baseVersion: 2 });
 *   const pdf = await previewTemplate(models, 'changzhou', 'receipt', { title, paragraphs });
 *
 * - Seeded, once per database and city, from the shipped files (templates/<city>/documents/, which
 *   stay the defaults): version 1 of each kind the city has no record of, dated 1970.
 * - Versioned: a save adds the next version (a unique index on city, kind and version: two
 *   admins saving at once — one gets 409); nothing is overwritten. A document uses the version in
 *   force at the date it states (a 受理回执 first read after an edit keeps the wording of its
 *   submission day) and records it (`templateVersion`); issued PDFs never change.
 * - Validated: the kind's key pattern, a title, 1–60 paragraphs of at most 4,000 characters, and
 *   only known placeholders (the unknown ones are named in the answer).
 * - No code runs: the text is filled by the one-pass replacer of document-text.ts.
 */
import { trusted } from 'mongoose';
import { loadCityDocuments } from '@lianban/templates';
import type { DocumentTemplateInfo, DocumentTemplatePlaceholder, DocumentTemplateSummary } from '@lianban/runtime/contract';
import type { DocumentTemplateDoc, Models } from '../models';
import { audit, type Actor } from './audit';
import { DomainError } from './errors';
import { documentLines, MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS, type DocumentContent } from './document-text';
import { renderDocumentPdf } from './document-pdf';

/** A kind's key: lowercase letters, digits and hyphens, starting with a letter. */
export const KIND_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;
export const MAX_TITLE_CHARS = 60;
/** Kinds a city may have (the shipped four and its own notices). */
export const MAX_KINDS = 50;
/** Versions listed with a template (the newest first). */
const HISTORY = 50;

/** Every placeholder a template may use (document-text.ts fills them), with what it prints. */
export const PLACEHOLDERS: DocumentTemplatePlaceholder[] = [
  { name: 'applicantName', label: '申请人姓名' },
  { name: 'caseNo', label: '办件编号' },
  { name: 'matterTitle', label: '事项名称' },
  { name: 'issuer', label: '出具机关' },
  { name: 'date', label: '出具日期' },
  { name: 'submittedDate', label: '提交申请日期' },
  { name: 'endedDate', label: '办结日期' },
  { name: 'reason', label: '理由（不予批准、补正）' },
  { name: 'remedy', label: '救济途径（行政复议、行政诉讼，本市设置）' },
  { name: 'deadline', label: '补正期限' },
  { name: 'items', label: '联办事项（列表：单独成段时逐项编号）', list: true },
  { name: 'corrections', label: '补正内容（列表：单独成段时逐项编号）', list: true },
];
const KNOWN = new Set(PLACEHOLDERS.map((p) => p.name));

/** The built-in kinds' names, for the list (a city's own kinds show their title). */
const BUILT_IN: Record<string, string> = { receipt: '受理回执', correction: '补正告知书', rejection: '不予批准决定', completion: '办结通知书' };

export interface TemplateInput { title: string; paragraphs: string[] }

const ANY_PLACEHOLDER = /\{\{([^{}]{0,80})\}\}/g;

/** The problems of a template (empty: fine): sizes, unknown placeholders, unclosed braces. */
export function templateProblems(input: TemplateInput): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title) problems.push({ path: 'title', message: '请填写文书标题' });
  else if (title.length > MAX_TITLE_CHARS) problems.push({ path: 'title', message: `标题最多 ${MAX_TITLE_CHARS} 个字` });
  const paragraphs = Array.isArray(input.paragraphs) ? input.paragraphs : [];
  if (!paragraphs.some((p) => typeof p === 'string' && p.trim())) problems.push({ path: 'paragraphs', message: '正文不能为空' });
  if (paragraphs.length > MAX_PARAGRAPHS) problems.push({ path: 'paragraphs', message: `正文最多 ${MAX_PARAGRAPHS} 段` });
  paragraphs.slice(0, MAX_PARAGRAPHS).forEach((p, i) => {
    const path = `paragraphs.${i}`;
    if (typeof p !== 'string') { problems.push({ path, message: `第 ${i + 1} 段不是文字` }); return; }
    if (p.length > MAX_PARAGRAPH_CHARS) { problems.push({ path, message: `第 ${i + 1} 段超过 ${MAX_PARAGRAPH_CHARS} 字` }); return; }
    const unknown = [...p.matchAll(ANY_PLACEHOLDER)].map((m) => m[1]!.trim()).filter((name) => !KNOWN.has(name));
    if (unknown.length) problems.push({ path, message: `第 ${i + 1} 段有未知的占位符：${[...new Set(unknown)].map((n) => `{{${n}}}`).join('、')}` });
    const rest = p.replace(ANY_PLACEHOLDER, '');
    if (rest.includes('{{') || rest.includes('}}')) problems.push({ path, message: `第 ${i + 1} 段有未配对的「{{」或「}}」` });
  });
  return problems;
}

function validated(input: TemplateInput): TemplateInput {
  const problems = templateProblems(input);
  if (problems.length) {
    const unknown = problems.filter((p) => p.message.includes('未知的占位符'));
    const message = unknown.length ? `模板中有未知的占位符（可用的占位符见列表）：${unknown.map((p) => p.message).join('；')}` : '文书模板有误，请按提示修改';
    throw new DomainError('invalid', message, { errors: problems });
  }
  return { title: input.title.trim(), paragraphs: input.paragraphs.map((p) => p.replace(/\s+$/, '')) };
}

function checkKind(kind: string): void {
  if (!KIND_PATTERN.test(kind)) {
    throw new DomainError('invalid', '文书类型标识只能由小写字母、数字和连字符组成，以字母开头，2–40 个字符', { errors: [{ path: 'kind', message: '格式不正确' }] });
  }
}

// ---- seeding and reading -------------------------------------------------------------------

/** Cities seeded in this process, per database (tests hold several). */
const seeded = new WeakMap<Models, Set<string>>();

/** Writes version 1 of every shipped kind the city has no record of (idempotent, race-safe). */
export async function seedCityTemplates(models: Models, tenant: string): Promise<void> {
  let done = seeded.get(models);
  if (!done) seeded.set(models, (done = new Set()));
  if (done.has(tenant)) return;
  const shipped = loadCityDocuments(tenant);
  const have = new Set((await models.DocumentTemplate.find({ tenant }).select('kind').limit(10_000).lean()).map((d) => d.kind));
  for (const t of shipped?.templates ?? []) {
    if (have.has(t.kind) || !KIND_PATTERN.test(t.kind)) continue;
    try {
      await models.DocumentTemplate.create({ tenant, kind: t.kind, version: 1, title: t.title, paragraphs: t.paragraphs, createdBy: 'templates/', createdAt: new Date(0) });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // another process seeded it
    }
  }
  done.add(tenant);
}

const latest = (models: Models, tenant: string, kind: string) =>
  models.DocumentTemplate.findOne({ tenant, kind }).sort({ version: -1 }).lean();

/** The kinds the city has (its current versions' kinds). */
export async function cityKinds(models: Models, tenant: string): Promise<Set<string>> {
  await seedCityTemplates(models, tenant);
  const rows = await models.DocumentTemplate.find({ tenant, version: 1 }).select('kind').limit(MAX_KINDS * 2).lean();
  return new Set(rows.map((r) => r.kind));
}

/** The template of `kind` in force at `at` (the newest saved by then; else the first), or null. */
export async function templateFor(models: Models, tenant: string, kind: string, at: Date): Promise<DocumentTemplateDoc | null> {
  await seedCityTemplates(models, tenant);
  return (await models.DocumentTemplate.findOne({ tenant, kind, createdAt: trusted({ $lte: at }) }).sort({ version: -1 }).lean())
    ?? await models.DocumentTemplate.findOne({ tenant, kind }).sort({ version: 1 }).lean();
}

const summary = (d: DocumentTemplateDoc): DocumentTemplateSummary => ({
  kind: d.kind, title: d.title, name: BUILT_IN[d.kind] ?? d.title, builtIn: d.kind in BUILT_IN,
  version: d.version, updatedAt: d.createdAt.toISOString(), updatedBy: d.createdBy,
});

/** `GET /admin/document-templates`: the city's kinds at their current version, and the placeholders. */
export async function listTemplates(models: Models, tenant: string): Promise<{ templates: DocumentTemplateSummary[]; placeholders: DocumentTemplatePlaceholder[] }> {
  // the built-in kinds in the order a case meets them, then the city's own by key
  const order = (k: string) => { const i = Object.keys(BUILT_IN).indexOf(k); return i < 0 ? 99 : i; };
  const kinds = [...await cityKinds(models, tenant)].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const current = (await Promise.all(kinds.map((k) => latest(models, tenant, k)))).filter((d): d is NonNullable<typeof d> => !!d);
  return { templates: current.map(summary), placeholders: PLACEHOLDERS };
}

/** `GET /admin/document-templates/:kind`: the current version with the earlier ones listed. */
export async function getTemplate(models: Models, tenant: string, kind: string): Promise<DocumentTemplateInfo> {
  checkKind(kind);
  await seedCityTemplates(models, tenant);
  const versions = await models.DocumentTemplate.find({ tenant, kind }).sort({ version: -1 }).limit(HISTORY).lean();
  const current = versions[0];
  if (!current) throw new DomainError('not-found', `本市没有「${kind}」文书模板`);
  return {
    ...summary(current), paragraphs: current.paragraphs,
    versions: versions.map((v) => ({ version: v.version, title: v.title, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy })),
  };
}

// ---- writing -------------------------------------------------------------------------------

/** `PUT /admin/document-templates/:kind`: the next version (none when nothing changed); 409 when `baseVersion` is no longer current. */
export async function saveTemplate(models: Models, actor: Actor & { tenant: string }, kind: string, body: TemplateInput & { baseVersion?: number }): Promise<DocumentTemplateInfo> {
  checkKind(kind);
  const input = validated(body);
  await seedCityTemplates(models, actor.tenant);
  const current = await latest(models, actor.tenant, kind);
  if (!current) throw new DomainError('not-found', `本市没有「${kind}」文书模板，请先新建`);
  if (body.baseVersion !== undefined && body.baseVersion !== current.version) {
    throw new DomainError('moved-on', `该模板已被他人修改（当前第 ${current.version} 版），请重新打开后再修改`);
  }
  if (current.title === input.title && JSON.stringify(current.paragraphs) === JSON.stringify(input.paragraphs)) return getTemplate(models, actor.tenant, kind);
  const version = current.version + 1;
  try {
    await models.DocumentTemplate.create({ tenant: actor.tenant, kind, version, ...input, createdBy: actor.name, createdAt: new Date() });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new DomainError('moved-on', '该模板刚被他人修改，请重新打开后再修改');
    throw err;
  }
  await audit(models, actor, 'document-template.saved', `document-template:${kind}`, {
    kind, version, before: { title: current.title, paragraphs: current.paragraphs }, after: input,
  });
  return getTemplate(models, actor.tenant, kind);
}

/** `POST /admin/document-templates`: a new kind of notice for the city (409 `exists` when the key is taken). */
export async function createTemplate(models: Models, actor: Actor & { tenant: string }, body: TemplateInput & { kind: string }): Promise<DocumentTemplateInfo> {
  checkKind(body.kind);
  const input = validated(body);
  const kinds = await cityKinds(models, actor.tenant);
  if (kinds.has(body.kind)) throw new DomainError('exists', `文书类型「${body.kind}」已存在`);
  if (kinds.size >= MAX_KINDS) throw new DomainError('invalid', `每个城市最多 ${MAX_KINDS} 种文书`, { errors: [{ path: 'kind', message: '过多' }] });
  try {
    await models.DocumentTemplate.create({ tenant: actor.tenant, kind: body.kind, version: 1, ...input, createdBy: actor.name, createdAt: new Date() });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new DomainError('exists', `文书类型「${body.kind}」已存在`);
    throw err;
  }
  await audit(models, actor, 'document-template.created', `document-template:${body.kind}`, { kind: body.kind, version: 1, after: input });
  return getTemplate(models, actor.tenant, body.kind);
}

// ---- preview -------------------------------------------------------------------------------

/** `POST /admin/document-templates/:kind/preview`: the PDF of `template` filled with an example case; nothing saved. */
export async function previewTemplate(models: Models, tenant: string, kind: string, template: TemplateInput): Promise<Buffer> {
  checkKind(kind);
  // Sizes are enforced; unknown placeholders are left visible in the preview (the editor names them).
  const problems = templateProblems(template).filter((p) => !p.message.includes('占位符') && !p.message.includes('未配对'));
  if (problems.length) throw new DomainError('invalid', '文书模板有误，请按提示修改', { errors: problems });
  const city = loadCityDocuments(tenant);
  const tenantDoc = await models.Tenant.findById(tenant).lean();
  const issuer = city?.settings.issuer || tenantDoc?.name || tenant;
  const now = new Date();
  const caseNo = `${tenantDoc?.casePrefix ?? tenant.slice(0, 2).toUpperCase()}202601050001`;
  const values = {
    caseNo, applicantName: '张三（示例）', matterTitle: '企业职工退休“一件事”', issuer,
    date: '2026年1月20日', submittedDate: '2026年1月5日', endedDate: '2026年1月20日',
    reason: '（示例）申请材料中的参加工作时间与档案记载不一致', remedy: city?.settings.remedy ?? '', deadline: '2026年1月30日',
    items: ['退休审批：已办结（月基本养老金：3268.50）', '住房公积金提取：已办结', '医保关系转移：办理中'],
    corrections: ['参加工作时间：请按档案记载填写', '身份证复印件：请上传清晰的正反面'],
  };
  const content: DocumentContent = { kind, title: `${template.title.trim()}（样张）`, issuer, caseNo, issuedAt: now, lines: documentLines(template, values) };
  return renderDocumentPdf(content, 'https://example.invalid/api/v1/verify/preview');
}
