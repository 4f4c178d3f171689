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
  'notFound.title': { zh: '页面不存在', en: 'Page not found' },
  'notFound.back': { zh: '返回首页', en: 'Back to home' },
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

/** antd's own locale for the language. */
export function antdLocale(lang: Lang = currentLang()) {
  return lang === 'en' ? enUS : zhCN;
}
