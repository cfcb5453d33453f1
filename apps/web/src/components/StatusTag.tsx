import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

// Solid colours with white text: WCAG AA contrast (antd's light presets fall short).
const COLOURS: Record<string, string> = {
  new: '#0b57d0',
  dispatched: '#006d75',
  accepted: '#1d39c4',
  returned: '#9e1068',
  paused: '#595959',
  resolved: '#237804',
  closed: '#434343',
  withdrawn: '#434343',
};

const PRIORITY: Record<string, string> = { normal: '#595959', high: '#ad4e00', urgent: '#a8071a' };

export function PriorityTag({ priority }: { priority: string }) {
  const { t } = useTranslation();
  return <Tag color={PRIORITY[priority] ?? '#595959'}>{t(`priority.${priority}`)}</Tag>;
}

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={COLOURS[status] ?? '#595959'}>{t(`status.${status}`)}</Tag>;
}
