import { useI18n } from '../i18n/i18n.js';

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <button type="button" className="btn btn-ghost btn-small" title={t('lang.switchLabel')} lang={lang === 'en' ? 'es-MX' : 'en'} onClick={() => setLang(lang === 'en' ? 'es-MX' : 'en')}>
      {t('lang.switchTo')}
    </button>
  );
}
