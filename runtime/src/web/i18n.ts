/**
 * User-facing text: Chinese first, English available. Components call `t(key)`; the language
 * is remembered in localStorage (`lianban.lang`).
 */
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';

export type Lang = 'zh' | 'en';

const dict = {
  'app.name': { zh: '联办', en: 'Lianban' },
  'app.tagline': { zh: '一件事一次办', en: 'One thing, one visit' },
  'portal.title': { zh: '联办 · 一件事一次办', en: 'Lianban · one thing, one visit' },
  'portal.intro': {
    zh: '一张表单、一套材料、一次申请：相关部门联动办理，结果自动反馈。',
    en: 'One form, one set of materials, one application: the departments handle the rest together.',
  },
  'portal.applicant': { zh: '我要办事', en: 'Apply' },
  'portal.applicant.desc': { zh: '选择事项、填写申请、上传材料、查看进度', en: 'Choose a matter, apply, upload materials, follow progress' },
  'portal.staff': { zh: '工作人员办理', en: 'Staff tasklist' },
  'portal.staff.desc': { zh: '部门待办、认领、审核与办结', en: 'Department queues, claim, review and complete' },
  'portal.designer': { zh: '管理员设计器', en: 'Designer' },
  'portal.designer.desc': { zh: '设计表单、流程与事项', en: 'Design forms, flows and matters' },
  'lang.switch': { zh: 'English', en: '中文' },
  'care.toggle': { zh: '关怀模式', en: 'Care mode' },
  'care.hint': { zh: '大字体、高对比度、分步填写；再点一次恢复标准模式', en: 'Large text, high contrast, one step at a time; click again for the standard view' },
  'nav.main': { zh: '主导航', en: 'Main navigation' },
  'nav.skip': { zh: '跳到主要内容', en: 'Skip to main content' },
  'notFound.title': { zh: '页面不存在', en: 'Page not found' },
  'notFound.back': { zh: '返回首页', en: 'Back to home' },
  'nav.apply': { zh: '我要办事', en: 'Apply' },
  'nav.tasks': { zh: '待办', en: 'Tasks' },
  'nav.dashboard': { zh: '统计', en: 'Dashboard' },
  'nav.logout': { zh: '退出', en: 'Sign out' },
  'nav.notifications': { zh: '消息通知', en: 'Notifications' },
  'nav.noNotifications': { zh: '暂无消息', en: 'No notifications' },
  'login.title': { zh: '登录', en: 'Sign in' },
  'login.username': { zh: '用户名', en: 'Username' },
  'login.password': { zh: '密码', en: 'Password' },
  'login.submit': { zh: '登录', en: 'Sign in' },
  'login.required': { zh: '请输入用户名和密码', en: 'Enter username and password' },
  'login.demo': { zh: '演示环境账号：luan.applicant、changzhou.applicant（办事人），changzhou.hrss、luan.window 等（工作人员），changzhou.admin（管理员）；密码见服务启动日志。', en: 'Demo accounts: luan.applicant, changzhou.applicant (applicants), changzhou.hrss, luan.window … (staff), changzhou.admin (admin); the password is printed at server start.' },
  'common.loading': { zh: '加载中…', en: 'Loading…' },
  'common.back': { zh: '返回', en: 'Back' },
  'common.open': { zh: '查看', en: 'Open' },
  'common.none': { zh: '暂无', en: 'None' },
  'common.print': { zh: '打印', en: 'Print' },
  'common.retry': { zh: '重试', en: 'Retry' },
  'apply.title': { zh: '我要办事', en: 'Apply' },
  'apply.matters': { zh: '可办理的事项', en: 'Matters you can apply for' },
  'apply.chooseForm': { zh: '请选择适合您的申请表：', en: 'Choose the form that fits you:' },
  'apply.formNote': { zh: '请选择一张申请表开始填写。以后如需您补充填写其他表（如社会化管理信息采集表），会出现在“我的待办”里。', en: 'Choose a form to start. Forms you may be asked to fill in later appear under “My tasks”.' },
  'apply.start': { zh: '开始填写', en: 'Start' },
  'apply.drafts': { zh: '我的草稿', en: 'My drafts' },
  'apply.cases': { zh: '我的办件', en: 'My cases' },
  'apply.tasks': { zh: '我的待办', en: 'My tasks' },
  'apply.continue': { zh: '继续填写', en: 'Continue' },
  'apply.savedAt': { zh: '创建于', en: 'Created' },
  'form.checklist': { zh: '联办事项与材料清单', en: 'Linked items and materials' },
  'form.checklistHint': { zh: '勾选（选择“是”）的事项由相关部门联动办理，无需另行申请。', en: 'Items you opt in are handled by the departments together.' },
  'form.itemOn': { zh: '将办理', en: 'Requested' },
  'form.itemOff': { zh: '未选择', en: 'Not chosen' },
  'form.mandatory': { zh: '必办', en: 'Mandatory' },
  'form.required': { zh: '必需提供', en: 'Required' },
  'form.onRequest': { zh: '依申请提供', en: 'On request' },
  'form.waivable': { zh: '可容缺', en: 'May be promised' },
  'form.noMaterials': { zh: '无需材料', en: 'No materials' },
  'form.saveDraft': { zh: '保存草稿', en: 'Save draft' },
  'form.submit': { zh: '提交申请', en: 'Submit' },
  'form.saved': { zh: '草稿已保存，可在“我的草稿”中继续填写', en: 'Draft saved' },
  'form.fix': { zh: '有 {n} 处需要修改，请查看标红的栏目', en: '{n} fields need attention' },
  'form.fixStep': { zh: '本步有 {n} 处需要修改，请查看标红的栏目', en: '{n} fields in this step need attention' },
  'form.later': { zh: '稍后继续', en: 'Continue later' },
  'form.savedLater': { zh: '已保存。下次登录后在“我的草稿”中点“继续填写”即可接着填', en: 'Saved. Continue from “My drafts” next time.' },
  'form.autosaving': { zh: '正在自动保存…', en: 'Saving…' },
  'form.autosaved': { zh: '已自动保存（{at}）', en: 'Saved automatically ({at})' },
  'form.autosaveFailed': { zh: '自动保存未成功，填写内容仍保留在本页，请稍后点“保存草稿”', en: 'Autosave failed; your entries are kept on this page' },
  'form.restored': { zh: '已恢复您上次尚未保存的填写内容，请核对后继续。', en: 'Your unsaved entries were restored; please check them.' },
  'form.prev': { zh: '上一步', en: 'Back' },
  'form.next': { zh: '下一步', en: 'Next' },
  'form.progress': { zh: '填写进度', en: 'Progress' },
  'form.stepOf': { zh: '第 {n} 步，共 {total} 步：{title}', en: 'Step {n} of {total}: {title}' },
  'form.promise': { zh: '本人承诺：标注“容缺承诺”的材料将在规定期限内补交，所填信息真实有效。', en: 'I promise to hand in the promised materials in time; the information is true.' },
  'form.promiseNeeded': { zh: '请先勾选书面承诺', en: 'Tick the written promise first' },
  'form.uploading': { zh: '上传中…', en: 'Uploading…' },
  'done.title': { zh: '申请已提交', en: 'Application submitted' },
  'done.next': { zh: '请记下办件编号。相关部门将联动办理，进度可在“我的办件”中查看，也会通过“消息通知”告诉您。', en: 'Please note the case number. Follow the progress under “My cases”; notifications will tell you too.' },
  'done.view': { zh: '查看办件进度', en: 'View progress' },
  'case.no': { zh: '办件编号', en: 'Case number' },
  'case.status': { zh: '办件状态', en: 'Status' },
  'case.items': { zh: '联办事项办理情况', en: 'Linked items' },
  'case.itemStatus': { zh: '办理状态', en: 'Status' },
  'case.item': { zh: '事项', en: 'Item' },
  'case.department': { zh: '办理部门', en: 'Department' },
  'case.timeline': { zh: '办理记录', en: 'History' },
  'case.diagram': { zh: '办理流程图', en: 'Flow diagram' },
  'case.diagramLegend': { zh: '绿色粗实线框：已完成；橙色虚线框：正在办理（各事项的办理状态见上方“联办事项办理情况”）', en: 'Green thick solid frame: done; orange dashed frame: in progress (see the linked items above for each status)' },
  'case.promised': { zh: '容缺承诺的材料（待补交）', en: 'Promised materials (to hand in)' },
  'case.promisedNote': { zh: '容缺受理：办件照常办理，请按承诺尽快补交以上材料。', en: 'Accepted with promise: please hand these in soon.' },
  'case.form': { zh: '申请表', en: 'Application form' },
  'case.materials': { zh: '申请材料', en: 'Materials' },
  'case.submittedAt': { zh: '提交时间', en: 'Submitted' },
  'case.applicant': { zh: '申请人', en: 'Applicant' },
  'case.matter': { zh: '事项', en: 'Matter' },
  'case.todo': { zh: '需要您处理', en: 'Action needed' },
  'case.printTitle': { zh: '打印申请表', en: 'Print application' },
  'case.documents': { zh: '办件文书', en: 'Documents' },
  'case.noDocuments': { zh: '暂无文书', en: 'No documents yet' },
  'case.download': { zh: '下载', en: 'Download' },
  'case.applicationPdf': { zh: '申请表 PDF', en: 'Application PDF' },
  'status.draft': { zh: '草稿', en: 'Draft' },
  'status.submitted': { zh: '已提交', en: 'Submitted' },
  'status.in-progress': { zh: '办理中', en: 'In progress' },
  'status.needs-applicant': { zh: '待申请人处理', en: 'Needs you' },
  'status.completed': { zh: '已办结', en: 'Completed' },
  'status.rejected': { zh: '不予批准', en: 'Rejected' },
  'status.withdrawn': { zh: '已撤回', en: 'Withdrawn' },
  'item.requested': { zh: '已申请', en: 'Requested' },
  'item.in-progress': { zh: '办理中', en: 'In progress' },
  'item.done': { zh: '已办结', en: 'Done' },
  'item.standalone': { zh: '转单独事项', en: 'Standalone' },
  'item.not-applicable': { zh: '不适用', en: 'Not applicable' },
  'task.open': { zh: '待认领', en: 'Open' },
  'task.claimed': { zh: '已认领', en: 'Claimed' },
  'task.done': { zh: '已办结', en: 'Done' },
  'task.cancelled': { zh: '已取消', en: 'Cancelled' },
  'outcome.approved': { zh: '批准', en: 'Approved' },
  'outcome.rejected': { zh: '不予批准', en: 'Rejected' },
  'outcome.done': { zh: '办结', en: 'Done' },
  'outcome.not-eligible': { zh: '不符合条件（转单独事项）', en: 'Not eligible (standalone)' },
  'outcome.accept': { zh: '受理', en: 'Accept' },
  'outcome.return-for-correction': { zh: '退回补正', en: 'Return for correction' },
  'dept.hrss': { zh: '人社部门', en: 'HRSS' },
  'dept.medical': { zh: '医保部门', en: 'Medical insurance' },
  'dept.housing-fund': { zh: '住房公积金中心', en: 'Housing fund' },
  'dept.health': { zh: '卫健部门', en: 'Health commission' },
  'dept.window': { zh: '综合受理窗口', en: 'Service window' },
  'dept.applicant': { zh: '申请人', en: 'Applicant' },
  'timeline.case.created': { zh: '创建申请', en: 'Created' },
  'timeline.case.submitted': { zh: '提交申请', en: 'Submitted' },
  'timeline.task.opened': { zh: '进入环节', en: 'Step opened' },
  'timeline.task.claimed': { zh: '认领', en: 'Claimed' },
  'timeline.task.released': { zh: '取消认领', en: 'Released' },
  'timeline.task.completed': { zh: '办理完成', en: 'Completed step' },
  'timeline.pushed': { zh: '推送至部门', en: 'Pushed' },
  'timeline.message.received': { zh: '收到部门反馈', en: 'Result received' },
  'timeline.timer.fired': { zh: '时限到期', en: 'Timer fired' },
  'timeline.incident': { zh: '流程异常', en: 'Incident' },
  'timeline.case.completed': { zh: '办件办结', en: 'Case completed' },
  'timeline.case.rejected': { zh: '办件不予批准', en: 'Case rejected' },
  'timeline.case.needs-applicant': { zh: '待申请人处理', en: 'Needs applicant' },
  'timeline.case.in-progress': { zh: '办理中', en: 'In progress' },
  'mytask.title': { zh: '办理待办', en: 'Task' },
  'mytask.correct': { zh: '请根据工作人员意见修改申请表后重新提交。', en: 'Correct the application and submit it again.' },
  'mytask.submit': { zh: '提交', en: 'Submit' },
  'mytask.done': { zh: '已提交，感谢配合', en: 'Submitted, thank you' },
  'mytask.promise': { zh: '您在申请时承诺后补以下材料（容缺受理）。请逐项上传后点击“提交”。', en: 'You promised these materials when applying. Upload each, then submit.' },
  'mytask.uploaded': { zh: '已上传', en: 'Uploaded' },
  'mytask.upload': { zh: '上传', en: 'Upload' },
  'staff.title': { zh: '部门待办', en: 'Department tasks' },
  'staff.all': { zh: '全部部门', en: 'All departments' },
  'staff.search': { zh: '办件编号或申请人姓名', en: 'Case number or applicant' },
  'staff.matter': { zh: '事项', en: 'Matter' },
  'staff.state': { zh: '状态', en: 'State' },
  'staff.due': { zh: '办理时限', en: 'Due' },
  'staff.stateOpen': { zh: '未办结', en: 'Not done' },
  'staff.stateAll': { zh: '全部', en: 'All' },
  'staff.dueAll': { zh: '全部时限', en: 'Any due date' },
  'staff.overdue': { zh: '已超期', en: 'Overdue' },
  'staff.dueSoon': { zh: '24小时内到期', en: 'Due within 24 h' },
  'staff.noDue': { zh: '无时限', en: 'No due date' },
  'staff.export': { zh: '导出Excel', en: 'Export to Excel' },
  'staff.claim': { zh: '认领', en: 'Claim' },
  'staff.unclaim': { zh: '取消认领', en: 'Release' },
  'staff.handle': { zh: '办理', en: 'Handle' },
  'staff.task': { zh: '环节', en: 'Step' },
  'staff.claimedBy': { zh: '认领人', en: 'Claimed by' },
  'staff.actions': { zh: '操作', en: 'Actions' },
  'staff.count': { zh: '共 {n} 条', en: '{n} tasks' },
  'staff.reveal': { zh: '显示完整信息', en: 'Show full data' },
  'staff.revealNote': { zh: '身份证号码已脱敏显示。查看完整信息的操作将记入审计日志。', en: 'ID numbers are masked. Showing full data is recorded in the audit log.' },
  'staff.revealed': { zh: '已显示完整信息（本次查看已记入审计日志）', en: 'Full data shown (audited)' },
  'staff.complete': { zh: '办理结果', en: 'Complete the step' },
  'staff.outcome': { zh: '办理结论', en: 'Outcome' },
  'staff.comment': { zh: '办理意见', en: 'Comment' },
  'staff.finish': { zh: '提交办理结果', en: 'Complete' },
  'staff.completed': { zh: '已办结该环节', en: 'Step completed' },
  'staff.taskDone': { zh: '该环节已办结', en: 'This step is done' },
  'staff.download': { zh: '下载', en: 'Download' },
  'staff.promisedTag': { zh: '容缺承诺', en: 'Promised' },
  'dash.title': { zh: '全市办件统计', en: 'City dashboard' },
  'dash.byMatter': { zh: '各事项办件数（按状态）', en: 'Cases per matter and status' },
  'dash.overdue': { zh: '各部门超期待办', en: 'Overdue tasks per department' },
  'dash.avg': { zh: '各部门平均办理时长（小时）', en: 'Average handling time per department (hours)' },
  'dash.total': { zh: '办件总数', en: 'Cases' },
  'dash.open': { zh: '未办结待办', en: 'Open tasks' },
  'dash.overdueCount': { zh: '超期待办', en: 'Overdue tasks' },
  'dash.note': { zh: '统计由浏览器根据办件明细计算（最多 {n} 件）；数据量大时需服务端汇总接口。', en: 'Computed in the browser from case details (up to {n} cases).' },
} as const;

export type TextKey = keyof typeof dict;

export function currentLang(): Lang {
  try {
    return localStorage.getItem('lianban.lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function setLang(lang: Lang): void {
  localStorage.setItem('lianban.lang', lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** The text for `key` in `lang` (default: the remembered language). */
export function t(key: TextKey, lang: Lang = currentLang()): string {
  return dict[key][lang];
}

/** `t(key)` with `{name}` placeholders filled in. */
export function tf(key: TextKey, values: Record<string, string | number>): string {
  return t(key).replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
}

/** The text for a dynamic key such as `status.${s}`, or `fallback` when there is none. */
export function tOr(key: string, fallback: string): string {
  return key in dict ? t(key as TextKey) : fallback;
}

/** antd's own locale for the language. */
export function antdLocale(lang: Lang = currentLang()) {
  return lang === 'en' ? enUS : zhCN;
}
