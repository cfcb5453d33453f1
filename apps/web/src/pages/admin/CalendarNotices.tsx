import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSlaSettings } from './hooks';

/**
 * The years around now (this one and the next) whose holidays the calendar does not know:
 * deadlines falling there are provisional until the year is imported. Shown on every admin
 * screen, in the API's own words.
 */
export function CalendarNotices({ link = true }: { link?: boolean }) {
  const { i18n, t } = useTranslation();
  const settings = useSlaSettings();
  const notices = settings.data?.calendarNotices ?? [];
  if (notices.length === 0) return null;
  return (
    <>
      {notices.map((n) => (
        <Alert
          key={n.year}
          type="warning"
          showIcon
          data-testid={`calendar-notice-${n.year}`}
          style={{ marginBottom: 12 }}
          title={i18n.language === 'en' ? n.messageEn : n.message}
          action={
            link ? (
              <Link to={`/admin/calendar?year=${n.year}`}>
                {t('admin.calendar.import', { year: n.year })}
              </Link>
            ) : undefined
          }
        />
      ))}
    </>
  );
}
