/**
 * /counter — 窗口收件: window staff file a case for a walk-in citizen. Pick the matter, enter the
 * citizen (and the agent, 帮办代办, with the signed 授权委托书), fill the form, scan the materials,
 * submit, then print the 受理回执 (/counter/:id/receipt).
 *
 * The case is filed as a draft on the first upload (or at submission): uploads need a case. The
 * citizen and agent are fixed from then on (the server keeps them with the draft).
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Checkbox, Form, Input, Select, Space, Upload } from 'antd';
import type { Form as FormilyForm } from '@formily/core';
import { parseResidentId } from '@lianban/runtime';
import { AUTHORIZATION_LETTER } from '@lianban/runtime/contract';
import { api, ApiError, mayRetry, newIdempotencyKey, type CaseAgent, type CaseSubmission, type Citizen, type Matter } from '../api/index';
import { withWaivable } from '../case/index';
import { FormRenderer, showErrors, type FileUploader } from '../forms/index';
import { LoadState, Shell, useLoad } from '../shell/index';
import './tasklist.css';
import './counter.css';

interface Parties { onBehalfOf: Citizen; hasAgent?: boolean; agent?: CaseAgent }

const idRule = (who: string) => ({
  validator: async (_: unknown, value?: string) => {
    if (!value) throw new Error(`请填写${who}的公民身份号码`);
    if (!parseResidentId(value.trim().toUpperCase()).valid) throw new Error(`${who}的公民身份号码有误（请核对校验位）`);
  },
});

async function loadMatter(key: string | undefined): Promise<{ matter: Matter } | undefined> {
  return key ? { matter: await api.matter(key) } : undefined;
}

export function CounterPage() {
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const matters = useLoad(() => api.matters(), []);
  const [matterKey, setMatterKey] = useState<string>();
  const [formKey, setFormKey] = useState<string>();
  const chosen = useLoad(() => loadMatter(matterKey), [matterKey]);
  const matter = chosen.data?.matter;
  const form = matter?.forms.find((f) => f.key === formKey) ?? matter?.forms[0];
  // one schema object per form: a new one would make the renderer start a fresh, empty form
  const schema = useMemo(() => (matter && form ? withWaivable(form.schema, matter.linkedItems) : undefined), [matter, form]);
  const [parties] = Form.useForm<Parties>();
  const hasAgent = Form.useWatch('hasAgent', parties) ?? false;
  const [letter, setLetter] = useState<File | null>(null);
  const [draftId, setDraftId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const values = useRef<Record<string, unknown>>({});
  const formilyRef = useRef<FormilyForm>();
  const draftRef = useRef<Promise<string>>();
  const letterSent = useRef(false);

  /**
   * The case, filed as a draft for the citizen the first time it is needed. The request carries an
   * Idempotency-Key; when its answer is lost (network, gateway), the next try sends that same
   * request again, so the server answers with the draft it made instead of making a second one
   * (the form's data then reaches the draft by the update before submitting). A refusal (4xx) made
   * nothing: the next try is a new request.
   */
  const attempt = useRef<{ key: string; body: Omit<CaseSubmission, 'promised'> }>();
  const ensureDraft = useCallback(async (): Promise<string> => {
    if (!matter || !form) throw new Error('请先选择事项');
    // a lost attempt for another matter or form is not this one
    if (attempt.current && (attempt.current.body.matter !== matter.key || attempt.current.body.form !== form.key)) attempt.current = undefined;
    draftRef.current ??= (async () => {
      if (!attempt.current) {
        const p = await parties.validateFields();
        attempt.current = {
          key: newIdempotencyKey(),
          body: { matter: matter.key, form: form.key, data: values.current, draft: true, onBehalfOf: p.onBehalfOf, ...(p.hasAgent && p.agent ? { agent: p.agent } : {}) },
        };
      }
      const created = await api.createCase(attempt.current.body, attempt.current.key);
      setDraftId(created.id);
      return created.id;
    })().catch((e: unknown) => {
      draftRef.current = undefined;
      if (!mayRetry(e)) attempt.current = undefined;
      throw e;
    });
    return draftRef.current;
  }, [matter, form, parties]);

  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      const partyErrors = e.errors.filter((x) => /^(onBehalfOf|agent)\./.test(x.path));
      if (partyErrors.length) parties.setFields(partyErrors.map((x) => ({ name: x.path.split('.') as ['onBehalfOf', 'name'], errors: [x.message] })));
      if (formilyRef.current) showErrors(formilyRef.current, e.errors.map((x) => ({ ...x, path: x.path.replace(/^data\./, '') })));
      void message.error(e.message);
    } else if (!(e && typeof e === 'object' && 'errorFields' in e)) {
      void message.error(String((e as Error).message ?? e));
    } else {
      void message.error('请先填写申请人（及代办人）信息');
    }
  };

  const uploader: FileUploader = async (file, material) => {
    try {
      const id = await ensureDraft();
      return { fileId: (await api.upload(id, file, material)).fileId };
    } catch (e) { fail(e); throw e; }
  };

  const submit = async () => {
    if (hasAgent && !letter) { void message.error('代办须上传申请人签署的授权委托书'); return; }
    setBusy(true);
    try {
      const id = await ensureDraft();
      if (hasAgent && letter && !letterSent.current) {
        await api.upload(id, letter, AUTHORIZATION_LETTER);
        letterSent.current = true;
      }
      await api.updateDraft(id, values.current);
      await api.submit(id);
      void message.success('已受理，请打印受理回执');
      navigate(`/counter/${id}/receipt`);
    } catch (e) { fail(e); } finally { setBusy(false); }
  };

  const onForm = useCallback((f: FormilyForm) => { formilyRef.current = f; }, []);
  const locked = !!draftId;
  return (
    <Shell title="窗口收件" wide>
      <LoadState state={matters} />
      <Card title="一、办理事项" className="lb-section-card">
        <Space wrap>
          <label htmlFor="lb-counter-matter" className="lb-counter-label">事项</label>
          <Select id="lb-counter-matter" style={{ minWidth: 280 }} placeholder="选择事项" value={matterKey} disabled={locked}
            options={(matters.data ?? []).map((m) => ({ value: m.key, label: m.title }))} onChange={(v: string) => { setMatterKey(v); setFormKey(undefined); }} />
          {matter && matter.forms.length > 1 ? (
            <Select aria-label="申请表" style={{ minWidth: 220 }} value={form?.key} disabled={locked}
              options={matter.forms.map((f) => ({ value: f.key, label: f.title }))} onChange={(v: string) => setFormKey(v)} />
          ) : null}
        </Space>
      </Card>
      <Card title="二、申请人与代办人" className="lb-section-card">
        <Form form={parties} layout="vertical" disabled={locked} className="lb-counter-parties" requiredMark>
          <div className="lb-counter-row">
            <Form.Item name={['onBehalfOf', 'name']} label="申请人姓名" rules={[{ required: true, whitespace: true, message: '请填写申请人姓名' }]}><Input maxLength={30} autoComplete="off" /></Form.Item>
            <Form.Item name={['onBehalfOf', 'idNumber']} label="申请人公民身份号码" rules={[{ required: true, message: '' }, idRule('申请人')]}><Input maxLength={18} autoComplete="off" /></Form.Item>
            <Form.Item name={['onBehalfOf', 'phone']} label="联系电话（手机）" rules={[{ required: true, pattern: /^1\d{10}$/, message: '请填写 11 位手机号码' }]}><Input maxLength={11} inputMode="tel" autoComplete="off" /></Form.Item>
          </div>
          <Form.Item name="hasAgent" valuePropName="checked"><Checkbox>他人代办（帮办代办）</Checkbox></Form.Item>
          {hasAgent ? (
            <>
              <div className="lb-counter-row">
                <Form.Item name={['agent', 'name']} label="代办人姓名" rules={[{ required: true, whitespace: true, message: '请填写代办人姓名' }]}><Input maxLength={30} autoComplete="off" /></Form.Item>
                <Form.Item name={['agent', 'idNumber']} label="代办人公民身份号码" rules={[{ required: true, message: '' }, idRule('代办人')]}><Input maxLength={18} autoComplete="off" /></Form.Item>
                <Form.Item name={['agent', 'relation']} label="与申请人关系" rules={[{ required: true, whitespace: true, message: '请填写与申请人的关系' }]}><Input maxLength={30} placeholder="如：子女、配偶、单位经办人" /></Form.Item>
              </div>
              <div className="lb-counter-letter">
                <span>授权委托书（申请人签字）：</span>
                {letter ? <span data-testid="letter-name">{letter.name}</span> : null}
                <Upload showUploadList={false} accept=".pdf,.png,.jpg,.jpeg" disabled={letterSent.current} beforeUpload={(f) => { setLetter(f); return false; }}>
                  <Button size="small" aria-label="选择文件：授权委托书" disabled={letterSent.current}>{letter ? '重新选择' : '选择文件'}</Button>
                </Upload>
              </div>
            </>
          ) : null}
        </Form>
        {locked ? <Alert type="info" showIcon style={{ marginTop: 8 }} message="已为申请人建立办件草稿，申请人与代办人信息不可再修改" /> : null}
      </Card>
      <LoadState state={chosen} />
      {matter && form && schema ? (
        <Card title={`三、${form.title}`} className="lb-section-card">
          <FormRenderer key={form.key} schema={schema} value={values.current} onChange={(v) => { values.current = v; }} uploader={uploader} onForm={onForm} />
          <div className="lb-actions">
            <Button type="primary" size="large" loading={busy} onClick={() => void submit()}>提交受理并打印回执</Button>
          </div>
        </Card>
      ) : null}
    </Shell>
  );
}
