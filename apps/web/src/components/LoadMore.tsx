import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** The next page by the API's cursor: lists never load everything. */
export function LoadMore({
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  shown,
}: {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  shown: number;
}) {
  const { t } = useTranslation();
  if (shown === 0) return null;
  return (
    <div style={{ textAlign: 'center', padding: 16 }}>
      {hasNextPage ? (
        <Button
          size="large"
          loading={isFetchingNextPage}
          onClick={() => void fetchNextPage()}
          style={{ minHeight: 44 }}
        >
          {t('common.loadMore')}
        </Button>
      ) : (
        <span style={{ color: '#595959' }}>{t('common.noMore')}</span>
      )}
    </div>
  );
}
