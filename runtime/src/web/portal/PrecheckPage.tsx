/**
 * /apply/:matter/precheck — 「先测一测」 before the form: a few answers, the statutory month,
 * whether and how retirement is possible now, the earliest month, the minimum contribution, and
 * a printable 一次告知书 listing exactly this applicant's materials. Nothing is stored.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Select, Space, Tag } from 'antd';
import { messageFor, parseResidentId } from '@lianban/runtime';
import { api, ApiError, type PrecheckAnswer, type PrecheckRequest } from '../api/index';
import { LoadState, Shell, useLoad } from '../shell/index';
import { MatterContact } from './MatterContact';
import './portal.css';
import './precheck.css';

const ym = (s: string) => `${s.slice(0, 4)}年${Number(s.slice(5, 7))}月`;

const SPECIAL = [
  ['underground', '井下'], ['highAltitude', '高空'], ['highTemperature', '高温'], ['heavyLabour', '特别繁重体力'], ['harmful', '其他有害身体健康'],
] as const;

interface Values {
  idNumber?: string; birth?: string; sex?: 'male' | 'female'; identity: PrecheckRequest['identity'];
  special?: 'yes' | 'no'; specialWorkType?: PrecheckRequest['specialWorkType']; specialWorkYears?: number;
  illness?: 'yes' | 'no' | 'na'; contributionMonths?: number; hasArchive?: 'yes' | 'no'; onlyChildCertificate?: 'yes' | 'no';
}

function toRequest(v: Values): PrecheckRequest {
  const id = v.idNumber?.trim().toUpperCase();
  return {
    ...(id ? { idNumber: id } : { birth: v.birth?.trim(), sex: v.sex }),
    identity: v.identity,
    ...(v.special === 'yes' ? { specialWorkType: v.specialWorkType, specialWorkYears: v.specialWorkYears ?? 0 } : {}),
    ...(v.illness === 'yes' || v.illness === 'no' ? { disabilityAppraisal: v.illness === 'yes' } : {}),
    ...(typeof v.contributionMonths === 'number' ? { contributionMonths: v.contributionMonths } : {}),
    ...(v.hasArchive ? { hasArchive: v.hasArchive === 'yes' } : {}),
    ...(v.onlyChildCertificate ? { onlyChildCertificate: v.onlyChildCertificate === 'yes' } : {}),
  };
}

export function PrecheckPage() {
  const { matter = '' } = useParams();
  const state = useLoad(() => api.matter(matter), [matter]);
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<PrecheckAnswer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const special = Form.useWatch('special', form);
  // what a valid ID number says: shown in the two fields it replaces
  const idNumber = Form.useWatch('idNumber', form);
  const fromId = idNumber?.trim() ? parseResidentId(idNumber.trim().toUpperCase()) : undefined;
  const derived = fromId?.valid ? { birth: fromId.birthDate.slice(0, 7), sex: fromId.gender } : undefined;
  const asksCertificate = !!state.data?.linkedItems.some((i) => i.materials?.some((m) => m.when?.onlyChildCertificate !== undefined));
  const asksArchive = !!state.data?.linkedItems.some((i) => i.materials?.some((m) => m.when?.archive !== undefined));
  const run = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.precheck(matter, toRequest(v)));
    } catch (e) {
      setResult(undefined);
      if (e instanceof ApiError && e.errors.length) form.setFields(e.errors.map((x) => ({ name: x.path as keyof Values, errors: [x.message] })));
      setError((e as Error).message);
    } finally { setBusy(false); }
  };
  const m = state.data;
  return (
    <Shell title="先测一测：我能办退休吗？">
      <LoadState state={state} />
      {m ? (
        <>
          <Card size="small" className="lb-section-card lb-no-print">
            <div>{m.title}</div>
            <p className="lb-muted">回答几个问题，即可知道法定退休年月、现在能否办理、最早何时可以办理，以及需要准备的材料。所填内容不会保存。</p>
          </Card>
          <Card className="lb-section-card lb-no-print" title="请回答">
            <Form form={form} layout="vertical" onFinish={(v) => void run(v)} initialValues={{ identity: 'worker', special: 'no', illness: 'na' }} data-testid="precheck-form">
              <Form.Item name="idNumber" label="公民身份号码" extra="填写后自动得出出生年月和性别；也可不填，改填出生年月和性别"
                rules={[{ validator: async (_r, v?: string) => {
                  // the forms' own message for what is wrong (length, format, birth date, check digit)
                  const checked = v?.trim() ? parseResidentId(v.trim().toUpperCase()) : undefined;
                  if (checked && !checked.valid) throw new Error(messageFor(`id-number.${checked.reason}`));
                } }]}>
                <Input maxLength={18} autoComplete="off" />
              </Form.Item>
              {derived ? (
                // the ID number decides them: shown, not asked
                <p className="lb-precheck-derived" data-testid="precheck-derived">
                  由身份证号码得出：出生年月 <strong>{ym(derived.birth)}</strong>，性别 <strong>{derived.sex === 'male' ? '男' : '女'}</strong>
                </p>
              ) : (
                <Space wrap>
                  <Form.Item name="birth" label="出生年月（如 1966-03）"><Input style={{ width: 180 }} placeholder="年-月，如 1966-03" /></Form.Item>
                  <Form.Item name="sex" label="性别">
                    <Radio.Group options={[{ value: 'male', label: '男' }, { value: 'female', label: '女' }]} />
                  </Form.Item>
                </Space>
              )}
              <Form.Item name="identity" label="本人身份" rules={[{ required: true, message: '请选择本人身份' }]}
                extra="女性干部或在管理技术岗位的选“干部/管理技术岗位”；以灵活就业人员身份参保的选“灵活就业人员”">
                <Radio.Group options={[{ value: 'cadre', label: '干部/管理技术岗位' }, { value: 'worker', label: '工人' }, { value: 'flexible', label: '灵活就业人员' }]} />
              </Form.Item>
              <Form.Item name="special" label="是否从事过特殊工种（井下、高空、高温、特别繁重体力、其他有害身体健康）">
                <Radio.Group options={[{ value: 'yes', label: '是' }, { value: 'no', label: '否' }]} />
              </Form.Item>
              {special === 'yes' ? (
                <Space wrap>
                  <Form.Item name="specialWorkType" label="特殊工种类别" rules={[{ required: true, message: '请选择特殊工种类别' }]}>
                    <Select style={{ width: 200 }} options={SPECIAL.map(([value, label]) => ({ value, label }))} />
                  </Form.Item>
                  <Form.Item name="specialWorkYears" label="累计从事年限（年）"><InputNumber min={0} max={60} /></Form.Item>
                </Space>
              ) : null}
              <Form.Item name="illness" label="是否经劳动能力鉴定为完全丧失劳动能力">
                <Radio.Group options={[{ value: 'yes', label: '是' }, { value: 'no', label: '否' }, { value: 'na', label: '不涉及' }]} />
              </Form.Item>
              <Form.Item name="contributionMonths" label="累计缴费月数（含视同缴费，可通过社保卡、当地人社部门的网站或手机应用查询）">
                <InputNumber min={0} max={960} style={{ width: 180 }} />
              </Form.Item>
              {asksArchive ? (
                <Form.Item name="hasArchive" label="是否有职工人事档案">
                  <Radio.Group options={[{ value: 'yes', label: '有' }, { value: 'no', label: '无' }]} />
                </Form.Item>
              ) : null}
              {asksCertificate ? (
                <Form.Item name="onlyChildCertificate" label="是否持有独生子女父母光荣证">
                  <Radio.Group options={[{ value: 'yes', label: '是' }, { value: 'no', label: '否' }]} />
                </Form.Item>
              ) : null}
              {error ? <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 12 }} /> : null}
              <Button type="primary" htmlType="submit" loading={busy} autoInsertSpace={false}>测一测</Button>
            </Form>
          </Card>
          {result ? <PrecheckResultView result={result} /> : null}
        </>
      ) : null}
    </Shell>
  );
}

function PrecheckResultView({ result: r }: { result: PrecheckAnswer }) {
  return (
    <>
      <Card className="lb-section-card lb-no-print" title="测算结果" data-testid="precheck-result">
        <p>法定退休年龄 <b>{r.statutory.age}</b>，法定退休年月 <b data-testid="statutory">{ym(r.statutory.retireAt)}</b></p>
        {r.possibleNow
          ? <Alert type="success" showIcon message={`现在可以申请：${r.routes.find((x) => x.route === r.route)?.title ?? ''}`} />
          : <Alert type="warning" showIcon message={`现在还不能办理，最早 ${ym(r.earliest)} 起`} />}
        <ul className="lb-precheck-routes">
          {r.routes.map((x) => (
            <li key={x.route}>
              <Space wrap><b>{x.title}</b>{x.possibleNow ? <Tag color="green">现在可办</Tag> : <Tag>暂不可办</Tag>}{x.earliest ? <span>最早 {ym(x.earliest)}</span> : null}</Space>
              {x.reasons.length ? <ul>{x.reasons.map((s) => <li key={s}>{s}</li>)}</ul> : null}
            </li>
          ))}
        </ul>
        <p>最低缴费年限：{r.minContributionMonths} 个月（{(r.minContributionMonths / 12).toFixed(1).replace(/\.0$/, '')} 年，按 {r.earliest.slice(0, 4)} 年退休计）
          {r.contributionMet === undefined ? null : r.contributionMet ? <Tag color="green" style={{ marginLeft: 8 }}>已满足</Tag> : <Tag color="red" style={{ marginLeft: 8 }}>尚未满足</Tag>}</p>
        <Space wrap>
          <Button onClick={() => window.print()} autoInsertSpace={false}>打印一次告知书</Button>
          <Link to="/apply">去申请</Link>
        </Space>
      </Card>
      <section className="lb-notice" data-testid="notice" aria-label="一次告知书">
        <h2>{r.matter.title} 一次告知书</h2>
        <p>根据您的回答（{ym(r.birth)}出生，{r.sex === 'male' ? '男' : '女'}），按现行政策，您的法定退休年月为 {ym(r.statutory.retireAt)}
          {r.possibleNow ? `，现在可以申请${r.routes.find((x) => x.route === r.route)?.title ?? ''}` : `，最早 ${ym(r.earliest)} 起可以申请`}。办理时请一次备齐下列材料：</p>
        {r.materials.length ? (
          <table>
            <thead><tr><th>序号</th><th>材料名称</th><th>提供方式</th><th>用于</th></tr></thead>
            <tbody>
              {r.materials.map((x, i) => (
                <tr key={x.name} data-material={x.name}>
                  <td>{i + 1}</td><td>{x.name}</td>
                  <td>{x.kind === 'required' ? '必需提供' : '依申请提供'}{x.waivable ? '（可容缺后补）' : ''}</td>
                  <td>{x.items.join('、')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p data-testid="notice-none">无需提交纸质材料。</p>}
        <p className="lb-muted">申报多项业务时，重复的材料仅需提交一份。本告知书依据您的回答测算（{ym(r.today)}），以经办部门审核为准。</p>
        <MatterContact contact={r.matter.contact} />
      </section>
    </>
  );
}
