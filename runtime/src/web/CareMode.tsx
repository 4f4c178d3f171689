/**
 * The React side of care mode (see care-mode.ts): the antd theme that follows it and the
 * one-click switch shown in the header of every portal and tasklist page.
 */
import { useEffect, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import { antdLocale } from './i18n';
import { applyCareClass, themeFor, useCareMode } from './care-mode';
import { t } from './i18n';

/** antd's ConfigProvider with the theme of the current mode (and Chinese or English locale). */
export function CareConfigProvider({ children }: { children: ReactNode }) {
  const [care] = useCareMode();
  useEffect(() => applyCareClass(care), [care]);
  return (
    <ConfigProvider locale={antdLocale()} button={{ autoInsertSpace: false }} theme={themeFor(care)}>
      {children}
    </ConfigProvider>
  );
}

/** The switch: a toggle button (aria-pressed); the tick shows the state without colour. */
export function CareModeToggle({ className }: { className?: string }) {
  const [care, setCare] = useCareMode();
  return (
    <button
      type="button"
      className={`lb-care-toggle${care ? ' lb-care-on' : ''}${className ? ` ${className}` : ''}`}
      aria-pressed={care}
      title={t('care.hint')}
      data-testid="care-toggle"
      onClick={() => setCare(!care)}
    >
      <span aria-hidden className="lb-care-mark">{care ? '✓' : '☐'}</span>
      {t('care.toggle')}
    </button>
  );
}
