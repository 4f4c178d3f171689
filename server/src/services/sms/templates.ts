/**
 * SMS templates per city and kind (issue 23 part 2). A city registers one template per kind with
 * its provider and enters the template code and the parameter names here (the designer's 城市管理
 * → 短信 tab). The parameters are limited to what is not personal: the case number, a link to the
 * portal and the matter's title — never a name, ID number or the in-app text.
 */
import type { SmsTemplateSettings, SmsTemplateInput } from '@lianban/runtime/contract';
import { trusted } from 'mongoose';
import type { Models, NotificationDoc, SmsKind, SmsTemplateEntry } from '../../models';
import { DomainError } from '../errors';
import { audit, type Actor } from '../audit';

export const SMS_KINDS: readonly SmsKind[] = ['receipt', 'correction', 'promise-due', 'completion', 'remind', 'overdue'];

/** The only parameters a template may carry. */
export const SMS_PARAMS = ['caseNo', 'link', 'matter', 'rateLink'] as const;

/** The 好差评 link (services/evaluation.ts) exists once a case ended: only the 办结 SMS may carry it. */
const RATE_LINK_KINDS: ReadonlySet<SmsKind> = new Set(['completion']);
export type SmsParam = (typeof SMS_PARAMS)[number];

const LABELS: Record<SmsKind, string> = {
  receipt: '受理', correction: '补正', 'promise-due': '容缺到期', completion: '办结', remind: '催办', overdue: '超期（工作人员）',
};

/** The text to register with the provider (its ${…} placeholders are the parameters). */
const SUGGESTED: Record<SmsKind, string> = {
  receipt: '您的办件${caseNo}已受理，可在${link}查看进度。',
  correction: '您的办件${caseNo}需要补正材料，请在${link}办理。',
  'promise-due': '您的办件${caseNo}有容缺承诺的材料待补交，请在${link}按期补交。',
  completion: '您的办件${caseNo}已办结，结果请在${link}查看，欢迎对本次服务评价：${rateLink}',
  remind: '办件${caseNo}的待办被催办，请尽快办理：${link}',
  overdue: '办件${caseNo}的待办已超期，请尽快办理：${link}',
};

const DEFAULT_PARAMS: Record<SmsKind, SmsParam[]> = {
  receipt: ['caseNo', 'link'], correction: ['caseNo', 'link'], 'promise-due': ['caseNo', 'link'],
  completion: ['caseNo', 'link', 'rateLink'], remind: ['caseNo', 'link'], overdue: ['caseNo', 'link'],
};

/** Staff kinds link to the tasklist, the applicant's to their case page. */
export const STAFF_KINDS: ReadonlySet<SmsKind> = new Set(['remind', 'overdue']);

const CODE = /^[A-Za-z0-9_-]{1,40}$/;

function defaults(): SmsTemplateEntry[] {
  return SMS_KINDS.map((kind) => ({ kind, code: '', params: [...DEFAULT_PARAMS[kind]], enabled: true }));
}

/** The city's templates: the saved ones over the defaults, in the kinds' order. */
export async function smsTemplates(models: Models, tenant: string): Promise<SmsTemplateEntry[]> {
  const doc = await models.SmsSettings.findById(tenant).lean();
  const saved = new Map((doc?.templates ?? []).map((t) => [t.kind, t]));
  return defaults().map((d) => {
    const s = saved.get(d.kind);
    return s ? { kind: d.kind, code: s.code, params: [...s.params], enabled: s.enabled } : d;
  });
}

/** `smsTemplates` of several cities in one read (the SMS outbox's batches). */
export async function smsTemplatesOf(models: Models, tenants: string[]): Promise<Map<string, SmsTemplateEntry[]>> {
  const docs = await models.SmsSettings.find({ _id: trusted({ $in: tenants }) }).lean();
  const byTenant = new Map(docs.map((d) => [String(d._id), d]));
  return new Map(tenants.map((tenant) => [tenant, merged(byTenant.get(tenant)?.templates)]));
}

function merged(templates: SmsTemplateEntry[] | undefined): SmsTemplateEntry[] {
  const saved = new Map((templates ?? []).map((t) => [t.kind, t]));
  return defaults().map((d) => {
    const s = saved.get(d.kind);
    return s ? { kind: d.kind, code: s.code, params: [...s.params], enabled: s.enabled } : d;
  });
}

export async function getSmsTemplateSettings(models: Models, tenant: string, provider: string): Promise<SmsTemplateSettings> {
  const doc = await models.SmsSettings.findById(tenant).select({ updatedAt: 1, updatedBy: 1 }).lean();
  return {
    provider,
    allowedParams: [...SMS_PARAMS],
    templates: (await smsTemplates(models, tenant)).map((t) => ({ ...t, label: LABELS[t.kind], suggestedText: SUGGESTED[t.kind] })),
    updatedAt: doc?.updatedAt ? doc.updatedAt.toISOString() : null,
    updatedBy: doc?.updatedBy ?? null,
  };
}

/** Checks the templates: known kinds once each, a code of letters/digits/_-, only allowed parameters. */
export function checkTemplates(input: SmsTemplateInput[]): SmsTemplateEntry[] {
  const errors: { path: string; message: string; code: string }[] = [];
  const seen = new Set<string>();
  input.slice(0, SMS_KINDS.length + 1).forEach((t, i) => {
    if (!SMS_KINDS.includes(t.kind as SmsKind)) errors.push({ path: `templates.${i}.kind`, message: `未知的短信类型「${String(t.kind).slice(0, 40)}」`, code: 'unknown-kind' });
    else if (seen.has(t.kind)) errors.push({ path: `templates.${i}.kind`, message: `短信类型「${LABELS[t.kind as SmsKind]}」重复`, code: 'duplicate-kind' });
    seen.add(t.kind);
    if (t.code !== '' && !CODE.test(t.code)) errors.push({ path: `templates.${i}.code`, message: '模板编号只能包含字母、数字、下划线和短横线（最多 40 个字符）', code: 'bad-template-code' });
    const params = t.params ?? [];
    params.slice(0, 10).forEach((p, j) => {
      if (!(SMS_PARAMS as readonly string[]).includes(p)) {
        errors.push({ path: `templates.${i}.params.${j}`, message: `短信参数「${String(p).slice(0, 40)}」不允许：短信只能带办件编号（caseNo）、链接（link）、事项名称（matter）和评价链接（rateLink），不得含个人信息`, code: 'param-not-allowed' });
      }
    });
    if (params.includes('rateLink') && !RATE_LINK_KINDS.has(t.kind as SmsKind)) {
      errors.push({ path: `templates.${i}.params.${params.indexOf('rateLink')}`, message: '评价链接（rateLink）只能用于办结短信', code: 'param-not-allowed' });
    }
    if (new Set(params).size !== params.length) errors.push({ path: `templates.${i}.params`, message: '参数重复', code: 'duplicate-param' });
  });
  if (input.length > SMS_KINDS.length) errors.push({ path: 'templates', message: '短信模板过多', code: 'too-many' });
  if (errors.length) throw new DomainError('invalid', '短信模板设置有误', { errors });
  return input.map((t) => ({ kind: t.kind as SmsKind, code: t.code, params: [...(t.params ?? [])], enabled: t.enabled !== false }));
}

/** `PUT /admin/sms/templates`: replaces the given kinds' templates (the others keep theirs), audited. */
export async function saveSmsTemplates(models: Models, actor: Actor, input: SmsTemplateInput[], provider: string): Promise<SmsTemplateSettings> {
  const entries = checkTemplates(input);
  const current = await smsTemplates(models, actor.tenant);
  const byKind = new Map(entries.map((e) => [e.kind, e]));
  const merged = current.map((c) => byKind.get(c.kind) ?? c);
  await models.SmsSettings.updateOne({ _id: actor.tenant }, { $set: { templates: merged, updatedAt: new Date(), updatedBy: actor.name } }, { upsert: true });
  await audit(models, actor, 'sms.templates', `tenant:${actor.tenant}`, { templates: entries });
  return getSmsTemplateSettings(models, actor.tenant, provider);
}

/** Which SMS a notification gives (null: in-app only). */
export function smsKindOf(n: Pick<NotificationDoc, 'kind' | 'message'>): SmsKind | null {
  switch (n.kind) {
    case 'accepted': return 'receipt';
    // 办结, approved or not: the result is on the case page, and it may be rated
    case 'completed': case 'rejected': return 'completion';
    // the 容缺 task's notice (submission.ts) and the applicant's due reminders; any other: 补正 / a task for them
    case 'needs-action': return n.message.startsWith('容缺') ? 'promise-due' : 'correction';
    case 'reminder': return 'remind';
    // the escalation of an overdue case to the department's lead and the admins (services/case-deadline.ts)
    case 'deadline-overdue': return 'overdue';
    default: return (n.kind as string) === 'overdue' ? 'overdue' : null;
  }
}

/** The parameters of one message: nothing but the allowed ones, whatever the template asks. */
export function smsParams(template: Pick<SmsTemplateEntry, 'params'>, values: Record<SmsParam, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of template.params) if ((SMS_PARAMS as readonly string[]).includes(p)) out[p] = values[p as SmsParam];
  return out;
}
