/**
 * Scripted cases through the engine for each shipped matter, the way the server runs them: the
 * example submission is validated, its stored value becomes the process variables, the requested
 * items are the mandatory ones plus the ticked opt-ins. Each run checks the waits in order, the
 * item statuses and the case status.
 */
import { describe, expect, it } from 'vitest';
import { complete, start, type Definition, type StepResult } from '@lianban/runtime';
import { compileValidator } from '@lianban/runtime/validate';
import { asSchema, flowDefinition, form, NOW, saved, submission, waitAt, waiting } from './helpers';

const at = { now: NOW };

/** Completes the one wait at `elementId` (after a save/load round trip, as the server does). */
function step(def: Definition, r: StepResult, elementId: string, outcome?: string, variables?: Record<string, unknown>): StepResult {
  return complete(def, saved(r.state), waitAt(r, elementId).id, { ...(outcome ? { outcome } : {}), ...(variables ? { variables } : {}) }, at);
}

// ---- 常州 ----------------------------------------------------------------------------------

const CZ_FORM = 'changzhou-retirement';
const czExample = () => form('changzhou', CZ_FORM).example;
const NONE_TICKED = { socializedManagement: false, medicalInsuranceTransfer: false, housingFundWithdrawal: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };

/** Submits and takes the case through 人社's mandatory steps and both pushes. */
function czThroughHrss(def: Definition, data: Record<string, unknown>, formKey = CZ_FORM): StepResult {
  const { vars, items } = submission('changzhou', formKey, data);
  let r = start(def, vars, { ...at, items });
  expect(waitAt(r, 'Push_requests')).toMatchObject({ kind: 'serviceTask', connector: 'data-sharing', department: 'hrss' });
  r = step(def, r, 'Push_requests');
  expect(waitAt(r, 'Task_approval')).toMatchObject({ kind: 'userTask', candidateGroups: ['hrss'], outcomes: ['approved', 'rejected'], linkedItem: 'retirement-approval' });
  r = step(def, r, 'Task_approval', 'approved');
  expect(waitAt(r, 'Task_pension')).toMatchObject({ candidateGroups: ['hrss'], linkedItem: 'pension-determination' });
  // 待遇核定 and 退休证发放 declare their results in their task forms; the push carries them
  expect(waitAt(r, 'Task_pension')).toMatchObject({ formKey: 'changzhou-pension-result' });
  const pension = form('changzhou', 'changzhou-pension-result').example;
  r = step(def, r, 'Task_pension', undefined, pension);
  expect(waitAt(r, 'Task_certificate')).toMatchObject({ candidateGroups: ['hrss'], linkedItem: 'retirement-certificate', formKey: 'changzhou-certificate-result' });
  const certificate = form('changzhou', 'changzhou-certificate-result').example;
  r = step(def, r, 'Task_certificate', undefined, certificate);
  expect(waitAt(r, 'Push_results')).toMatchObject({ kind: 'serviceTask', connector: 'data-sharing' });
  const push = r.effects.find((e) => e.type === 'push') as { payload: Record<string, unknown> };
  // 附件4's 社会保障卡寄送 (absent from 附件3: not mailed)
  expect(push.payload).toEqual({ name: data.name, idNumber: data.idNumber, retireType: data.retireType, retireAt: data.retireAt, pension, certificate, cardMailing: data.cardMailing === true, cardMailingAddress: data.cardMailing === true ? data.cardMailingAddress : null });
  return step(def, r, 'Push_results');
}

describe('常州 退休“一件事” run', () => {
  it('should push the linked-item requests on receipt, before the approval, without the 光荣证 information', async () => {
    const def = await flowDefinition('changzhou');
    const { vars, items } = submission('changzhou', CZ_FORM, czExample());
    const r = start(def, vars, { ...at, items });
    expect(waiting(r)).toEqual(['Push_requests']);
    const push = r.effects.find((e) => e.type === 'push');
    expect(push).toMatchObject({
      type: 'push', connector: 'data-sharing', department: 'hrss',
      payload: {
        name: '赵示例', idNumber: '320402196603121351', socializedManagement: true, medicalInsuranceTransfer: true,
        housingFundWithdrawal: true, printCertificate: true,
      },
    });
    // 卫健 gets the 光荣证 only after approval, 核定 and 发证 (Push_health)
    expect((push as { payload: Record<string, unknown> }).payload).not.toHaveProperty('hasOnlyChildCertificate');
    expect(r.state.items).toEqual(Object.fromEntries(items.map((k) => [k, 'requested'])));
  });

  it('should handle every ticked item in parallel and complete with all items done', async () => {
    // given: everything ticked and the 光荣证 held
    const def = await flowDefinition('changzhou');
    let r = czThroughHrss(def, czExample());
    expect(waiting(r)).toEqual(['Push_health', 'Task_housing', 'Task_medical', 'Task_social_info', 'Timer_social_info_reminder']);
    // the 光荣证 is pushed to 卫健 now, after 发证, because it is held
    expect(r.effects.find((e) => e.type === 'push')).toMatchObject({ department: 'health', linkedItem: 'only-child-certificate', payload: { name: '赵示例', hasOnlyChildCertificate: true, approved: true } });
    r = step(def, r, 'Push_health');

    // when: the applicant fills 附件5 (a task of their own), then 人社 takes the applicant into 社会化管理
    const info = waitAt(r, 'Task_social_info');
    expect(info).toMatchObject({ candidateGroups: ['applicant'], formKey: 'changzhou-socialized-info', linkedItem: 'socialized-management' });
    const socialForm = form('changzhou', 'changzhou-socialized-info');
    const filled = compileValidator(asSchema(socialForm)).validate(socialForm.example);
    expect(filled.valid).toBe(true);
    r = step(def, r, 'Task_social_info', undefined, { socializedInfo: filled.value });
    expect(r.state.items['socialized-management']).toBe('in-progress');
    expect(waitAt(r, 'Task_social')).toMatchObject({ candidateGroups: ['hrss'] });
    r = step(def, r, 'Task_social');
    expect(waitAt(r, 'Task_housing')).toMatchObject({ candidateGroups: ['housing-fund'], outcomes: ['done', 'not-eligible'] });
    r = step(def, r, 'Task_housing', 'done');
    expect(waitAt(r, 'Task_medical')).toMatchObject({ candidateGroups: ['medical'], outcomes: ['done', 'not-eligible'] });
    r = step(def, r, 'Task_medical', 'done');
    expect(r.state.status).toBe('active');
    expect(waitAt(r, 'Task_health')).toMatchObject({ candidateGroups: ['health'], linkedItem: 'only-child-certificate' });
    r = step(def, r, 'Task_health');

    // then
    expect(r.waits).toEqual([]);
    expect(r.state.status).toBe('completed');
    expect(r.effects).toContainEqual({ type: 'caseEnded', status: 'completed' });
    expect(r.state.items).toEqual({
      'retirement-approval': 'done', 'pension-determination': 'done', 'retirement-certificate': 'done', 'socialized-management': 'done',
      'housing-fund-withdrawal': 'done', 'medical-insurance-transfer': 'done', 'only-child-certificate': 'done',
    });
  });

  it('should complete right after the pushes when nothing is ticked, with the mandatory items done', async () => {
    const def = await flowDefinition('changzhou');
    const r = czThroughHrss(def, { ...czExample(), ...NONE_TICKED });
    expect(r.waits).toEqual([]);
    expect(r.state.status).toBe('completed');
    expect(r.state.items).toEqual({ 'retirement-approval': 'done', 'pension-determination': 'done', 'retirement-certificate': 'done' });
  });

  it('should turn a not-eligible 公积金 / 医保 result into a standalone item and still complete', async () => {
    // given: 附件4 (特殊工种提前退休) runs through the same flow; 医保 and 公积金 ticked
    const def = await flowDefinition('changzhou');
    let r = czThroughHrss(def, form('changzhou', 'changzhou-retirement-special').example, 'changzhou-retirement-special');
    expect(waiting(r)).toEqual(['Task_card_mailing', 'Task_housing', 'Task_medical']);
    // 附件4 asks for the social security card by post: 人社 mails it
    expect(waitAt(r, 'Task_card_mailing')).toMatchObject({ candidateGroups: ['hrss'] });
    r = step(def, r, 'Task_card_mailing');

    // when
    r = step(def, r, 'Task_housing', 'not-eligible');
    expect(r.effects).toContainEqual({ type: 'itemStatus', linkedItem: 'housing-fund-withdrawal', status: 'standalone', elementId: 'Task_housing' });
    r = step(def, r, 'Task_medical', 'not-eligible');

    // then
    expect(r.state.status).toBe('completed');
    expect(r.state.items).toEqual({
      'retirement-approval': 'done', 'pension-determination': 'done', 'retirement-certificate': 'done',
      'housing-fund-withdrawal': 'standalone', 'medical-insurance-transfer': 'standalone',
    });
  });

  it('should end the case rejected when 人社 rejects the retirement, the linked items not applicable', async () => {
    const def = await flowDefinition('changzhou');
    const { vars, items } = submission('changzhou', CZ_FORM, czExample());
    let r = start(def, vars, { ...at, items });
    r = step(def, r, 'Push_requests');
    r = step(def, r, 'Task_approval', 'rejected');
    expect(r.waits).toEqual([]);
    expect(r.state.status).toBe('rejected');
    expect(r.effects.at(-1)).toEqual({ type: 'caseEnded', status: 'rejected' });
    expect(Object.keys(r.state.items).sort()).toEqual([...items].sort());
    expect(Object.values(r.state.items).every((s) => s === 'not-applicable')).toBe(true);
  });
});

// ---- 六安 ----------------------------------------------------------------------------------

const UNIT = 'luan-retirement-unit';
const FLEX = 'luan-retirement-flexible';

function luanStart(def: Definition, formKey: string, data: Record<string, unknown>): StepResult {
  const { vars, items } = submission('luan', formKey, data);
  const r = start(def, vars, { ...at, items });
  expect(waitAt(r, 'Task_window')).toMatchObject({ kind: 'userTask', candidateGroups: ['window'], outcomes: ['accept', 'return-for-correction'] });
  return r;
}

describe('六安 企业职工退休“一件事一次办” run', () => {
  it('should go window → 养老保险 approval → 医保 and 公积金 in parallel when all are ticked', async () => {
    // given: 单位代办, 正常退休 + 医保 + 公积金
    const def = await flowDefinition('luan');
    let r = luanStart(def, UNIT, form('luan', UNIT).example);
    expect(r.state.items).toEqual({ 'retirement-normal': 'requested', 'medical-insurance-transfer': 'requested', 'housing-fund-withdrawal': 'requested' });

    // when
    r = step(def, r, 'Task_window', 'accept');
    expect(waitAt(r, 'Task_normal')).toMatchObject({ candidateGroups: ['hrss'], linkedItem: 'retirement-normal', outcomes: ['approved', 'rejected'] });
    r = step(def, r, 'Task_normal', 'approved');
    expect(waiting(r)).toEqual(['Task_housing', 'Task_medical']);
    expect(waitAt(r, 'Task_medical')).toMatchObject({ candidateGroups: ['medical'], linkedItem: 'medical-insurance-transfer' });
    expect(waitAt(r, 'Task_housing')).toMatchObject({ candidateGroups: ['housing-fund'], linkedItem: 'housing-fund-withdrawal' });
    r = step(def, r, 'Task_housing', 'done');
    expect(r.state.status).toBe('active');
    r = step(def, r, 'Task_medical', 'done');

    // then
    expect(r.state.status).toBe('completed');
    expect(r.state.items).toEqual({ 'retirement-normal': 'done', 'medical-insurance-transfer': 'done', 'housing-fund-withdrawal': 'done' });
  });

  it('should route 提前退休(退职) to its own approval and complete when no other item is ticked', async () => {
    // given: a flexible-employment applicant asking only for early retirement
    const def = await flowDefinition('luan');
    const data = {
      ...form('luan', FLEX).example, retirementNormal: false, retirementEarly: true, earlyKind: '特殊工种提前退休', normalMaterials: undefined,
      earlyMaterials: [{ name: '申请表.pdf', material: 'retire-application' }, { name: '特殊工种提前退休申请书.pdf', material: 'special-work-application' }],
      medicalInsuranceTransfer: false, housingFundWithdrawal: false,
    };
    let r = luanStart(def, FLEX, data);
    expect(r.state.items).toEqual({ 'retirement-early': 'requested' });

    // when
    r = step(def, r, 'Task_window', 'accept');
    expect(waiting(r)).toEqual(['Task_early']);
    r = step(def, r, 'Task_early', 'approved');

    // then
    expect(r.waits).toEqual([]);
    expect(r.state.status).toBe('completed');
    expect(r.state.items).toEqual({ 'retirement-early': 'done' });
  });

  it('should send the application back to the applicant for correction and accept it again', async () => {
    const def = await flowDefinition('luan');
    let r = luanStart(def, FLEX, form('luan', FLEX).example);
    r = step(def, r, 'Task_window', 'return-for-correction');
    expect(waiting(r)).toEqual(['Task_correct']);
    expect(waitAt(r, 'Task_correct')).toMatchObject({ candidateGroups: ['applicant'] });
    r = step(def, r, 'Task_correct', undefined, { contactPhone: '13856400001' });
    expect(waiting(r)).toEqual(['Task_window']);
    r = step(def, r, 'Task_window', 'accept');
    r = step(def, r, 'Task_normal', 'approved');
    expect(waiting(r)).toEqual(['Task_medical']);
    r = step(def, r, 'Task_medical', 'done');
    expect(r.state.status).toBe('completed');
    expect(r.state.items).toEqual({ 'retirement-normal': 'done', 'medical-insurance-transfer': 'done' });
  });

  it('should turn a not-eligible 医保 result into a standalone item and still complete', async () => {
    const def = await flowDefinition('luan');
    let r = luanStart(def, UNIT, form('luan', UNIT).example);
    r = step(def, r, 'Task_window', 'accept');
    r = step(def, r, 'Task_normal', 'approved');
    r = step(def, r, 'Task_medical', 'not-eligible');
    r = step(def, r, 'Task_housing', 'done');
    expect(r.state.status).toBe('completed');
    expect(r.state.items).toEqual({ 'retirement-normal': 'done', 'medical-insurance-transfer': 'standalone', 'housing-fund-withdrawal': 'done' });
  });

  it('should end the case rejected when the retirement is not approved, the ticked items not applicable', async () => {
    const def = await flowDefinition('luan');
    let r = luanStart(def, UNIT, form('luan', UNIT).example);
    r = step(def, r, 'Task_window', 'accept');
    r = step(def, r, 'Task_normal', 'rejected');
    expect(r.waits).toEqual([]);
    expect(r.state.status).toBe('rejected');
    expect(r.effects.at(-1)).toEqual({ type: 'caseEnded', status: 'rejected' });
    expect(r.state.items).toEqual({ 'retirement-normal': 'not-applicable', 'medical-insurance-transfer': 'not-applicable', 'housing-fund-withdrawal': 'not-applicable' });
  });
});
