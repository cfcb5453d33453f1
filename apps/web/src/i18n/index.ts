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
});
dayjs.locale(i18n.language === 'en' ? 'en' : 'zh-cn');

export function setLanguage(language: 'zh-CN' | 'en'): void {
  localStorage.setItem(KEY, language);
  void i18n.changeLanguage(language);
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = language;
}

export default i18n;
