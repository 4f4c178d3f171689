/** Our own inputs: ID number (shows what it derives), yes/no, mobile (stores 11 digits). */
import { useId } from 'react';
import { Input } from 'antd';
import { connect, mapReadPretty } from '@formily/react';
import { normalizeMobile, parseResidentId } from '@lianban/runtime';

const GENDER = { male: '男', female: '女' } as const;

interface ValueProps<T> {
  value?: T;
  onChange?: (v: T | undefined) => void;
  /** Formily passes these so validation can run on blur. */
  onFocus?: () => void;
  onBlur?: () => void;
  disabled?: boolean;
  id?: string;
  role?: string;
  [aria: `aria-${string}`]: unknown;
}

/** The id, role and aria-* props a decorator put on the control (see FieldCell). */
export function a11yProps(props: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([k]) => k === 'id' || k === 'role' || k.startsWith('aria-')));
}

/** 18-character ID input; once complete it shows the birth date and gender it determines. */
function IdNumberEditor(props: ValueProps<string>) {
  const { value, onChange, onFocus, onBlur, disabled } = props;
  const derivedId = props.id ? `${props.id}-derived` : undefined;
  const info = value && value.length === 18 ? parseResidentId(value) : null;
  return (
    <div className="lb-id">
      <Input
        value={value ?? ''}
        maxLength={18}
        disabled={disabled}
        autoComplete="off"
        placeholder="18位公民身份号码"
        {...a11yProps(props)}
        aria-describedby={[props['aria-describedby'], info?.valid ? derivedId : undefined].filter(Boolean).join(' ') || undefined}
        onChange={(e) => onChange?.(e.target.value.trim().toUpperCase() || undefined)}
        onFocus={onFocus}
        onBlur={onBlur}
      />
      <div className="lb-derived" data-derived id={derivedId} aria-live="polite">
        {info?.valid ? `出生日期 ${info.birthDate} · 性别 ${GENDER[info.gender]}` : null}
      </div>
    </div>
  );
}

function Text({ value }: { value?: unknown }) {
  return <span className="lb-text">{value === undefined || value === null ? '' : String(value)}</span>;
}

export const IdNumberInput = connect(IdNumberEditor, mapReadPretty(Text));

const YES_NO = [[true, '是'], [false, '否']] as const;

/**
 * 是/否 as two native radios (one name, so arrow keys move between them and screen readers say
 * "1 of 2"), styled like antd's in forms.css. Not antd's Radio: its click ripple wrapper measures
 * the clicked control (a forced style + layout on every click) and each re-render runs antd's
 * style hooks — on long forms the larger part of a 是/否 click. The wrapper keeps antd's
 * `ant-radio-wrapper(-checked)` class names for shared focus styles and tests, without antd's
 * hashed styles.
 */
function YesNoEditor(props: ValueProps<boolean>) {
  const { value, onChange, onFocus, onBlur, disabled } = props;
  const name = useId();
  return (
    <div className={`lb-yesno${disabled ? ' lb-yesno-disabled' : ''}`} {...a11yProps(props)}>
      {YES_NO.map(([v, label]) => (
        <label key={label} className={`lb-yesno-option ant-radio-wrapper${value === v ? ' ant-radio-wrapper-checked' : ''}`}>
          <input type="radio" name={name} checked={value === v} disabled={disabled} onChange={() => onChange?.(v)} onFocus={onFocus} onBlur={onBlur} />
          <span>{label}</span>
        </label>
      ))}
    </div>
  );
}

function YesNoText({ value }: { value?: boolean }) {
  return <span className="lb-text">{value === true ? '是' : value === false ? '否' : ''}</span>;
}

/** 是/否 stored as true/false. */
export const YesNo = connect(YesNoEditor, mapReadPretty(YesNoText));

function MobileEditor(props: ValueProps<string>) {
  const { value, onChange, onFocus, onBlur, disabled } = props;
  return (
    <Input
      {...a11yProps(props)}
      autoComplete="tel"
      value={value ?? ''}
      disabled={disabled}
      inputMode="tel"
      maxLength={20}
      placeholder="11位手机号码"
      onChange={(e) => onChange?.(e.target.value || undefined)}
      // What we store is the 11 digits, whatever prefix was typed.
      onFocus={onFocus}
      onBlur={() => { const n = value ? normalizeMobile(value) : null; if (n && n !== value) onChange?.(n); onBlur?.(); }}
    />
  );
}

export const MobileInput = connect(MobileEditor, mapReadPretty(Text));
