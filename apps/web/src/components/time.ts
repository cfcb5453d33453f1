import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Everything a person reads is in Shenzhen time, whatever the device's zone. */
export const ZONE = 'Asia/Shanghai';

export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(ZONE).format('YYYY-MM-DD HH:mm') : '';
}

export function todayInShenzhen(): string {
  return dayjs().tz(ZONE).format('YYYY-MM-DD');
}
