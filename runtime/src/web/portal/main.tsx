/** The portal app: applicants (办事人) and department staff (工作人员). Routes live in App.tsx. */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { ConfigProvider } from 'antd';
import { antdLocale, currentLang } from '../i18n';
import { App } from './App';
import '../base.css';

document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <ConfigProvider locale={antdLocale()} theme={{ token: { colorPrimary: '#1d4ed8', fontSize: 15 } }}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </ConfigProvider>
  </React.StrictMode>,
);
