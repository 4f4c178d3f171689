import { describe, expect, it } from 'vitest';
import type { MigrationPreviewCase, MigrationStand } from '@lianban/runtime/contract';
import { badgeText, departmentName, migrationMarks, tooltipText } from '@lianban/designer/matters/model';

const stand = (part: Partial<MigrationStand>): MigrationStand => ({ elements: [], tasks: [], timers: [], items: {}, ...part });
const approval = { element: 'Task_approval', name: '企业职工退休审批', kind: 'user', groups: ['hrss'], dueAt: '2026-12-20T00:00:00.000Z' };
const sheet = { element: 'Task_sheet', name: '填写信息采集表', kind: 'user', groups: ['applicant'] };

const cases: MigrationPreviewCase[] = [
  { id: 'a', no: 'CZ-1', applicantName: '张三', status: 'in-progress', problems: [],
    before: stand({ elements: ['Task_approval'], tasks: [approval] }), after: stand({ elements: ['Task_approval'], tasks: [approval] }) },
  { id: 'b', no: 'CZ-2', applicantName: '李四', status: 'in-progress', problems: [],
    before: stand({ elements: ['Task_approval', 'Task_sheet'], tasks: [approval, sheet], timers: [{ element: 'Timer_remind', attachedTo: 'Task_sheet', dueAt: '2026-12-10T00:00:00.000Z' }] }),
    after: stand({ elements: ['Task_approval', 'Task_sheet'], tasks: [approval, sheet] }) },
  { id: 'c', no: 'CZ-3', applicantName: '王五', status: 'in-progress',
    problems: [
      { code: 'no-counterpart', element: 'Task_old', message: '办件停留的环节「旧环节」（Task_old）在新版本中不存在，需要给出映射' },
      { code: 'join-cannot-fire', element: 'Gateway_join', message: '汇聚网关无法汇聚' },
      { code: 'missing-field', element: 'retireDate', message: '新版本申请表要求填写「退休日期」，办件中没有' },
    ],
    before: stand({ elements: ['Task_old'], tasks: [{ element: 'Task_old', name: '旧环节', kind: 'user', groups: ['medical'] }] }), after: stand({}) },
];
const oldIds = new Set(['Task_approval', 'Task_sheet', 'Timer_remind', 'Task_old', 'Gateway_join']);
const newIds = new Set(['Task_approval', 'Task_sheet', 'Task_accept', 'Gateway_join']);
const departments = { hrss: '常州市人力资源和社会保障局', medical: '常州市医疗保障局' };
const options = { departments, onBefore: (id: string) => oldIds.has(id), onAfter: (id: string) => newIds.has(id) };

describe('the migration preview as marks on the diagrams', () => {
  it('should count the cases per element on both diagrams when showing all', () => {
    const marks = migrationMarks({ cases }, options);
    expect(marks.cases).toBe(3);
    expect(marks.before['Task_approval']?.cases).toBe(2);
    expect(marks.before['Task_sheet']?.cases).toBe(1);
    expect(marks.before['Task_old']?.cases).toBe(1);
    expect(marks.after['Task_approval']?.cases).toBe(2);
    expect(marks.after['Task_old']).toBeUndefined();
    expect(badgeText(marks.before['Task_approval']!, 'before', false)).toBe('2 件');
  });

  it('should name departments by the city\'s names, the applicant as 申请人, and leave dates out for all cases', () => {
    const marks = migrationMarks({ cases }, options);
    expect(marks.after['Task_approval']?.details).toEqual(['企业职工退休审批 · 常州市人力资源和社会保障局']);
    expect(marks.before['Task_sheet']?.details).toEqual(['填写信息采集表 · 申请人', '定时']);
    expect(departmentName('unknown-dept', departments)).toBe('unknown-dept');
  });

  it('should put no-counterpart on the old diagram, other element problems on the new one, field problems apart', () => {
    const marks = migrationMarks({ cases }, options);
    expect(marks.before['Task_old']?.problems).toEqual([expect.stringContaining('Task_old')]);
    expect(marks.before['Task_old']?.problemCases).toBe(1);
    expect(marks.after['Gateway_join']).toMatchObject({ cases: 0, problems: ['汇聚网关无法汇聚'], problemCases: 1 });
    expect(marks.before['Gateway_join']).toBeUndefined();
    expect(marks.general).toEqual(['CZ-3：新版本申请表要求填写「退休日期」，办件中没有']);
  });

  it('should show one case with its due dates when a row is chosen', () => {
    const marks = migrationMarks({ cases }, { ...options, caseId: 'b' });
    expect(marks.cases).toBe(1);
    expect(Object.keys(marks.before).sort()).toEqual(['Task_approval', 'Task_sheet']);
    expect(marks.before['Task_approval']?.details).toEqual(['企业职工退休审批 · 常州市人力资源和社会保障局 · 限 2026-12-20']);
    expect(marks.before['Task_sheet']?.details).toContain('定时 2026-12-10');
    expect(badgeText(marks.before['Task_approval']!, 'before', true)).toBe('现在');
    expect(badgeText(marks.after['Task_approval']!, 'after', true)).toBe('迁移后');
    expect(tooltipText('企业职工退休审批', marks.after['Task_approval']!, 'after', true)).toBe('企业职工退休审批：迁移后在此\n企业职工退休审批 · 常州市人力资源和社会保障局 · 限 2026-12-20');
  });

  it('should list a problem whose element is on neither diagram with the others', () => {
    const marks = migrationMarks({ cases }, { ...options, caseId: 'c', onBefore: () => false });
    expect(marks.before).toEqual({});
    expect(marks.general).toEqual([expect.stringContaining('Task_old'), '新版本申请表要求填写「退休日期」，办件中没有']);
    expect(tooltipText('汇聚', marks.after['Gateway_join']!, 'after', true)).toBe('汇聚\n问题：汇聚网关无法汇聚');
  });
});
