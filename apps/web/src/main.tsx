import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n';
import { queryClient } from './api/query-client';
import { AppRoutes, warmStart } from './App';
import './styles.css';

function Root() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      // Accessible names as written (antd would put a space between two Chinese characters).
      button={{ autoInsertSpace: false }}
      // Short lists, all options in the DOM: screen readers and touch scrolling see every one.
      virtual={false}
      theme={{
        token: {
          colorPrimary: '#0b57d0',
          colorLink: '#0b57d0',
          // antd derives a lighter hover (under 4.5:1 with white text or on white): darker keeps AA.
          colorPrimaryHover: '#0842a0',
          colorPrimaryActive: '#083f96',
          colorLinkHover: '#0842a0',
          colorError: '#cf1322',
          colorSuccess: '#237804',
          colorWarning: '#ad6800',
          // antd's tertiary/description grey (#8c8c8c-like, 3.4:1 on white) is below WCAG AA
          // (4.5:1): Statistic titles, Card extras, table sorters use it. #595959 is 7:1.
          colorTextTertiary: '#595959',
          colorTextDescription: '#595959',
          controlHeightLG: 44,
          fontSize: 15,
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <AppRoutes />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

warmStart();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
