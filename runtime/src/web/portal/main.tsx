/** The portal app: applicants (办事人) and department staff (工作人员). Routes live in App.tsx. */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import { antdLocale, currentLang } from '../i18n';
import { App } from './App';
import { SessionProvider } from './session';
import '../base.css';

document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <ConfigProvider locale={antdLocale()} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1d4ed8', fontSize: 15 } }}>
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </React.StrictMode>,
);
