/**
 * The portal app: applicants (办事人, `portal/`) and department staff (工作人员, `tasklist/`) in
 * one bundle, framed by `shell/`. Routes live in App.tsx; a sign-out forgets unsent form values.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App as AntApp } from 'antd';
import { currentLang } from '../i18n';
import { applyCareClass } from '../care-mode';
import { CareConfigProvider } from '../CareMode';
import { dropAllUnsent } from '../portal/apply/unsent';
// Straight from the files, not shell/index: the first page stays light (Shell loads with the pages).
import { SessionProvider } from '../shell/session';
import { App } from './App';
import '../base.css';

document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';
applyCareClass();

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <CareConfigProvider>
      <AntApp>
        <BrowserRouter>
          <SessionProvider onSignOut={dropAllUnsent}>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </CareConfigProvider>
  </React.StrictMode>,
);
