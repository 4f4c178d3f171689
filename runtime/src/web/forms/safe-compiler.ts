/**
 * Formily compiles every `{{ … }}` string in a schema with `new Function`. We replace that
 * compiler, once, with one that only resolves a bare scope name (`{{$lianbanRules}}`) and
 * leaves anything else as inert text: an expression an administrator typed is never run.
 * The schema checker refuses `{{ }}` anyway; this is the second lock.
 */
import { Schema } from '@formily/json-schema';
import { setValidateLanguage, registerValidateLocale } from '@formily/core';

const NAME = /^\s*(\$?[A-Za-z_][A-Za-z0-9_$]*)\s*$/;
let installed = false;

/** Installs the restricted compiler and Chinese validation messages (idempotent). */
export function installSafeFormily(): void {
  if (installed) return;
  installed = true;
  Schema.registerCompiler((expression: string, scope: Record<string, unknown> = {}) => {
    const m = NAME.exec(expression);
    return m ? scope[m[1]!] : `{{${expression}}}`;
  });
  setValidateLanguage('zh-CN');
  registerValidateLocale({ 'zh-CN': { required: '此项为必填项' } });
}
