/**
 * Suggested keys for what an administrator names in Chinese: a linked item, a department, a
 * field. Keys must be ASCII (`^[a-z][a-z0-9-]+$`, field keys camelCase), so the suggestion
 * translates known words of our domain, longest match first, and drops the rest; the
 * administrator can always type their own.
 *
 *   suggestKey('失业保险金停发')   // 'unemployment-benefit-stop'
 *   fieldKeyFor('unemployment-benefit-stop')   // 'unemploymentBenefitStop'
 */

/** Domain words → English key parts. Longer entries win over their prefixes. */
const GLOSSARY: Record<string, string> = {
  失业保险金: 'unemployment-benefit', 失业保险: 'unemployment', 失业: 'unemployment',
  工伤保险: 'work-injury', 工伤: 'work-injury', 医疗保险: 'medical-insurance', 医保: 'medical',
  养老保险: 'pension', 养老金: 'pension', 养老: 'pension', 住房公积金: 'housing-fund', 公积金: 'housing-fund',
  社会保险: 'social-insurance', 社保: 'social-insurance', 人力资源和社会保障: 'hrss', 人社: 'hrss',
  卫生健康: 'health', 卫健: 'health', 民政: 'civil-affairs', 税务: 'tax', 市场监管: 'market', 不动产: 'real-estate',
  退休: 'retirement', 退职: 'resignation', 提前: 'early', 正常: 'normal', 在职转退休: 'transfer',
  待遇: 'benefit', 补差: 'top-up', 停发: 'stop', 停保: 'stop', 发放: 'issue', 提取: 'withdrawal', 备案: 'filing',
  解除劳动用工: 'labor-termination', 解除: 'termination', 劳动用工: 'employment', 劳动: 'labor', 用工: 'employment',
  证明: 'certificate', 光荣证: 'certificate', 独生子女: 'only-child', 社会化管理: 'socialized-management',
  登记: 'registration', 变更: 'change', 注销: 'cancel', 申领: 'claim', 申请: 'application', 核定: 'determination',
  审批: 'approval', 转移: 'transfer', 接续: 'continuation', 丧葬: 'funeral', 抚恤: 'pension-survivor',
  窗口: 'window', 受理: 'intake', 信息: 'info', 采集: 'collection', 局: '', 中心: '', 部门: '', 管理: 'management',
};
const WORDS = Object.keys(GLOSSARY).sort((a, b) => b.length - a.length);

/** A key suggested from a Chinese (or English) name; '' when nothing is recognisable. */
export function suggestKey(name: string): string {
  const parts: string[] = [];
  let i = 0;
  const text = name.trim();
  while (i < text.length) {
    const word = WORDS.find((w) => text.startsWith(w, i));
    if (word) {
      if (GLOSSARY[word]) parts.push(GLOSSARY[word]);
      i += word.length;
      continue;
    }
    const ascii = /^[A-Za-z0-9]+/.exec(text.slice(i));
    if (ascii) { parts.push(ascii[0].toLowerCase()); i += ascii[0].length; continue; }
    i += 1;
  }
  // Repeated words (失业 + 失业保险金) collapse; the key stays short enough for the API.
  const words = parts.join('-').split('-').filter((w, k, all) => w && all.indexOf(w) === k);
  const key = words.join('-').replace(/^[^a-z]+/, '').slice(0, 40).replace(/-+$/, '');
  return key.length >= 2 ? key : '';
}

/** The camelCase field key of a linked item's opt-in field. */
export function fieldKeyFor(itemKey: string): string {
  const key = itemKey.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9_]/g, '');
  return /^[A-Za-z]/.test(key) ? key.slice(0, 64) : `item${key}`.slice(0, 64);
}

/** `key` made unique against `taken` by appending 2, 3, …. */
export function uniqueKey(key: string, taken: (k: string) => boolean, sep = ''): string {
  if (!taken(key)) return key;
  for (let n = 2; ; n++) if (!taken(`${key}${sep}${n}`)) return `${key}${sep}${n}`;
}
