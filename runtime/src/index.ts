/**
 * @lianban/runtime — the pure core: runs what administrators designed, in Node and the browser.
 *
 * No React, koa or mongoose here (lint enforces it); the web part is `@lianban/runtime/web`; the HTTP
 * contract (types shared by the server and the web apps) is `@lianban/runtime/contract`.
 *
 *   import { parseResidentId, statutoryRetirement } from '@lianban/runtime';   // domain rules
 *   import { deploy, start, complete } from '@lianban/runtime';                 // flow engine
 *   import { checkMatter, requestedItems } from '@lianban/runtime';             // matters
 *   import { findWorkday, setCalendarOverrides } from '@lianban/runtime';       // working days (chinese-days + entered years)
 *
 * - `rules/`  domain rules the forms compute and the server re-checks (DOMAIN.md)
 * - `forms/`  form schema conventions, the declarative rule model, server-side validation
 * - `engine/` the BPMN flow engine: definition + state + event → new state + waits + effects
 * - `matters/` what a matter is (forms, flow, linked items, opt-ins) and its publish checks
 */
export * from './rules/index';
export * from './forms/index';
export * from './engine/index';
export * from './matters/index';
