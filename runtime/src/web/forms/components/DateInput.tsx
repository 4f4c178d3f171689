/**
 * Dates typed or picked: the DatePicker under the schema's name `DatePicker`, accepting the ways
 * people type a date (1984-09, 198409, 1984.9, 1984年9月; 1966-03-12, 19660312, 1966年3月12日…).
 * What it stores is unchanged: the first format ('YYYY-MM' / 'YYYY-MM-DD').
 */
import type { ComponentProps } from 'react';
import { DatePicker as FormilyDatePicker } from '@formily/antd-v5';

const MONTH_FORMATS = ['YYYY-MM', 'YYYYMM', 'YYYY.MM', 'YYYY/MM', 'YYYY年MM月', 'YYYY年M月', 'YYYY-M', 'YYYY.M', 'YYYY/M'];
const DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD', 'YYYY.MM.DD', 'YYYY/MM/DD', 'YYYY年MM月DD日', 'YYYY年M月D日', 'YYYY-M-D', 'YYYY.M.D', 'YYYY/M/D'];
const HINT = { month: '选择或输入，如 1984-09', date: '选择或输入，如 1966-03-12' };

type Props = ComponentProps<typeof FormilyDatePicker>;

/** The formats a typed value may take, the stored one first. */
export function lenientFormats(picker: string | undefined, format: unknown): string[] | undefined {
  const list = picker === 'month' ? MONTH_FORMATS : !picker || picker === 'date' ? DATE_FORMATS : undefined;
  if (!list || (typeof format === 'string' && format !== list[0])) return undefined;
  return list;
}

export function DateInput(props: Props) {
  const picker = (props as { picker?: string }).picker;
  const formats = lenientFormats(picker, props.format);
  if (!formats) return <FormilyDatePicker {...props} />;
  const placeholder = props.placeholder === '请选择年月' || props.placeholder === '请选择日期' || !props.placeholder
    ? HINT[picker === 'month' ? 'month' : 'date'] : props.placeholder;
  return <FormilyDatePicker {...props} format={formats} placeholder={placeholder} />;
}
