import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import en from './en';
import zhCN from './zh-CN';

const KEY = 'saolou.language';
const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
  // Strings added later (the admin screens' section) re-render what shows their keys.
  react: { bindI18nStore: 'added' },
});
dayjs.locale(i18n.language === 'en' ? 'en' : 'zh-cn');

export function setLanguage(language: 'zh-CN' | 'en'): void {
  localStorage.setItem(KEY, language);
  void i18n.changeLanguage(language);
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = language;
}

let adminStrings: Promise<void> | null = null;
/**
 * The admin screens' strings (admin.zh-CN.ts, admin.en.ts: the `admin` section), merged into
 * the resources when an admin screen first loads — their own chunk, so the officer's first
 * screen does not carry them.
 */
export function loadAdminStrings(): Promise<void> {
  adminStrings ??= Promise.all([import('./admin.zh-CN'), import('./admin.en')]).then(
    ([zh, english]) => {
      i18n.addResourceBundle('zh-CN', 'translation', { admin: zh.admin }, true, true);
      i18n.addResourceBundle('en', 'translation', { admin: english.admin }, true, true);
    },
  );
  return adminStrings;
}

export default i18n;
