/** The portal app: applicants (办事人) and department staff (工作人员). Routes live in App.tsx. */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App as AntApp } from 'antd';
import { currentLang } from '../i18n';
import { applyCareClass } from '../care-mode';
import { CareConfigProvider } from '../CareMode';
import { App } from './App';
import { SessionProvider } from './session';
import '../base.css';

document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';
applyCareClass();

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <CareConfigProvider>
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </CareConfigProvider>
  </React.StrictMode>,
);
