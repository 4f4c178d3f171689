import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The workspace boundaries of BRIEF.md are enforced by ESLint; these tests lint small pieces of
 * code as if they sat at a given path in the repo and check what the rules say.
 */
const repo = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: repo });

async function ruleIds(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint boundaries', () => {
  it.each([
    ["import Koa from 'koa';", 'runtime/src/engine/probe.ts'],
    ["import mongoose from 'mongoose';", 'runtime/src/rules/probe.ts'],
    ["import React from 'react';", 'runtime/src/forms/probe.ts'],
    ["import { Button } from 'antd';", 'runtime/src/engine/probe.ts'],
    ["import { createApp } from '@lianban/server';", 'runtime/src/forms/probe.ts'],
  ])('should keep the pure runtime free of server and UI code: %s', async (code, file) => {
    expect(await ruleIds(`${code}\nexport const x = 1;\n`, file)).toContain('no-restricted-imports');
  });

  it.each([
    ["import { createApp } from '@lianban/server';", 'designer/src/probe.ts'],
    ["import { createApp } from '@lianban/server';", 'runtime/src/web/probe.ts'],
    ["import mongoose from 'mongoose';", 'designer/src/probe.ts'],
    ["import { compileValidator } from '@lianban/runtime/validate';", 'runtime/src/web/probe.ts'],
    ["import Ajv from 'ajv';", 'designer/src/probe.ts'],
  ])('should keep browser code away from the server: %s', async (code, file) => {
    expect(await ruleIds(`${code}\nexport const x = 1;\n`, file)).toContain('no-restricted-imports');
  });

  it.each([
    ["import { createApp } from '@lianban/server';", 'embedded-db/src/probe.ts'],
    ["import { evaluate } from '@lianban/runtime';", 'embedded-db/src/storage/probe.ts'],
    ["import { loadConfig } from '../../server/src/config';", 'embedded-db/src/probe.ts'],
    ["import mongoose from 'mongoose';", 'embedded-db/src/probe.ts'],
  ])('should keep the embedded database free of application code: %s', async (code, file) => {
    expect(await ruleIds(`${code}\nexport const x = 1;\n`, file)).toContain('no-restricted-imports');
  });

  it.each([
    ["import { CasePage } from '../portal/CasePage';", 'runtime/src/web/tasklist/probe.tsx'],
    ["import { Checklist } from '../portal/Checklist';", 'runtime/src/web/tasklist/probe.tsx'],
    ["import { TasklistPage } from '../tasklist/TasklistPage';", 'runtime/src/web/portal/probe.tsx'],
    ["import { ApplyForm } from '../portal/ApplyForm';", 'runtime/src/web/shell/probe.tsx'],
    ["import { CaseDetail } from '../tasklist/CaseDetail';", 'runtime/src/web/case/probe.tsx'],
    ["import { App } from '../app/App';", 'runtime/src/web/shell/probe.tsx'],
  ])('should keep the portal and the tasklist apart, sharing only web/shell and web/case: %s', async (code, file) => {
    expect(await ruleIds(`${code}\nexport const x = 1;\n`, file)).toContain('no-restricted-imports');
  });

  it('should let the portal and the tasklist use the shell and the case pieces, and the app both', async () => {
    for (const room of ['portal', 'tasklist']) {
      expect(await ruleIds("import { Shell } from '../shell/index';\nimport { CaseProgress } from '../case/index';\nexport const x = [Shell, CaseProgress];\n", `runtime/src/web/${room}/probe.tsx`)).toEqual([]);
    }
    expect(await ruleIds("import { CasePage } from '../portal/CasePage';\nimport { CaseDetail } from '../tasklist/CaseDetail';\nexport const x = [CasePage, CaseDetail];\n", 'runtime/src/web/app/probe.tsx')).toEqual([]);
  });

  it('should refuse deep imports into another workspace', async () => {
    expect(await ruleIds("import { t } from '@lianban/runtime/src/web/i18n';\nexport const x = t;\n", 'designer/src/probe.ts'))
      .toContain('no-restricted-imports');
  });

  it('should refuse relative imports that cross into another workspace', async () => {
    expect(await ruleIds("import { t } from '../../runtime/src/web/i18n';\nexport const x = t;\n", 'designer/src/probe.ts'))
      .toContain('import-x/no-relative-packages');
  });

  it('should allow what each part may use', async () => {
    expect(await ruleIds("import React from 'react';\nexport const x = React;\n", 'runtime/src/web/probe.tsx')).toEqual([]);
    expect(await ruleIds("import Koa from 'koa';\nexport const x = Koa;\n", 'server/src/probe.ts')).toEqual([]);
    expect(await ruleIds("import { startEmbeddedServer } from '@lianban/embedded-db';\nexport const x = startEmbeddedServer;\n", 'server/src/db/probe.ts')).toEqual([]);
    expect(await ruleIds("import { BSON } from 'bson';\nexport const x = BSON;\n", 'embedded-db/src/probe.ts')).toEqual([]);
    expect(await ruleIds("import { t } from '@lianban/runtime/web';\nexport const x = t;\n", 'designer/src/probe.ts')).toEqual([]);
  });

  it('should refuse new Function in product code', async () => {
    expect(await ruleIds("export const f = new Function('return 1');\n", 'server/src/probe.ts')).toContain('no-new-func');
  });
});
