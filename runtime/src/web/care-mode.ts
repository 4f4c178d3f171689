/**
 * 关怀模式 (care mode, after the 适老化 norms): larger type and touch targets, a high-contrast
 * theme and one question group per step. One switch for the portal and the tasklist, remembered
 * in localStorage (`lianban.care`) and shown as the class `lb-care` on <html>.
 *
 *   const [care, setCare] = useCareMode();
 *   <ConfigProvider theme={themeFor(care)}>…</ConfigProvider>
 */
import { useSyncExternalStore } from 'react';
import type { ThemeConfig } from 'antd';

const KEY = 'lianban.care';
const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

let current = typeof window === 'undefined' ? false : read();

/** Puts the root class on <html> so plain CSS can follow the mode. */
export function applyCareClass(on: boolean = current): void {
  if (typeof document !== 'undefined') document.documentElement.classList.toggle('lb-care', on);
}

export function isCareMode(): boolean {
  return current;
}

/** Switches care mode on or off, remembers it and tells every subscriber. */
export function setCareMode(on: boolean): void {
  current = on;
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch { /* private mode: the switch still works for this page */ }
  applyCareClass(on);
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab switched: follow it.
  const onStorage = (e: StorageEvent) => {
    if (e.key !== KEY) return;
    current = read();
    applyCareClass(current);
    listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** `[on, set]`: the care mode as React state shared by every component. */
export function useCareMode(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, isCareMode, () => false);
  return [on, setCareMode];
}

/** The portal's brand blue: 6.7:1 on white (WCAG AA for any text). */
export const BRAND_BLUE = '#1d4ed8';

/**
 * antd theme tokens. Normal: the brand blue, 15 px. Care: 18 px text, 50 px controls, near-black
 * text and a darker blue (12:1 on white, WCAG AAA), dark borders so fields stand out, no motion.
 * Status colours (tags, errors) are darkened in CSS for both modes (portal.css).
 */
export function themeFor(care: boolean): ThemeConfig {
  if (!care) {
    // hover and press darken (antd's derived hover, #4373e6, gives white text only 4.3:1 — a
    // primary button under the pointer must stay readable too)
    return { token: { colorPrimary: BRAND_BLUE, colorPrimaryHover: '#1e40af', colorPrimaryActive: '#1e3a8a', colorLink: BRAND_BLUE, colorLinkHover: '#1e40af', colorLinkActive: '#1e3a8a', colorInfo: BRAND_BLUE, colorError: '#c81e1e', fontSize: 15, colorTextSecondary: '#4b5563', colorTextTertiary: '#4b5563', colorTextDescription: '#4b5563' } };
  }
  return {
    token: {
      fontSize: 18,
      fontSizeSM: 16,
      fontSizeLG: 20,
      controlHeight: 50,
      controlHeightSM: 40,
      controlHeightLG: 56,
      lineHeight: 1.6,
      colorPrimary: '#0b3a8c',
      colorLink: '#0b3a8c',
      colorText: '#000000',
      colorTextSecondary: '#1f2937',
      colorTextTertiary: '#1f2937',
      colorTextDescription: '#1f2937',
      colorTextPlaceholder: '#4b5563',
      colorBorder: '#4b5563',
      colorInfo: '#0b3a8c',
      colorError: '#a30d0d',
      // No motion: nothing slides or fades while reading.
      motion: false,
      borderRadius: 8,
      lineWidth: 2,
      lineWidthFocus: 4,
    },
    components: {
      Button: { fontWeight: 600, paddingInline: 20 },
      Radio: { radioSize: 24, dotSize: 12 },
      Checkbox: { controlInteractiveSize: 24 },
      Tag: { defaultColor: '#000000' },
    },
  };
}
