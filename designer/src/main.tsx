/** The designer app: forms, flows, matters and city administration for administrators. */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import { antdLocale, currentLang } from '@lianban/runtime/web';
import { App } from './App';
import '@lianban/runtime/web/base.css';

document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    {/* No space between two Chinese characters in buttons: the labels read (and are found) as written. */}
    <ConfigProvider locale={antdLocale()} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1d4ed8' } }}>
      {/* antd's App: the context-aware message/modal of App.useApp() (the admin tabs use it); no wrapper element */}
      <AntApp component={false}>
        <BrowserRouter basename="/designer">
          <App />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </React.StrictMode>,
);
