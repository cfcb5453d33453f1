import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Button, Empty, Space, Spin } from 'antd';
// Search alone: antd's Input index would bring TextArea, Password and OTP to this screen too.
import Search from 'antd/es/input/Search';
import type { InputRef } from 'antd/es/input';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useEnterprises, useReference } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadMore } from '../../components/LoadMore';
import { firstScreenText, releaseFirstScreen } from '../../first-screen/take-over';

/**
 * The officer's first screen: find an enterprise by name or credit code, then log a visit.
 * Kept light for a phone on a slow network: plain elements styled in styles.css instead of
 * antd's Typography (Tooltip, TextArea, copy), Card (Tabs, Skeleton) and Tag, which would add
 * some 50 KB of gzipped JavaScript to the screen every officer opens first.
 */
export function FindEnterprisePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  // What the officer typed into the prerendered box while the scripts loaded, if any.
  const [text, setText] = useState(() => firstScreenText() ?? q);
  const box = useRef<InputRef>(null);
  useLayoutEffect(() => {
    // Before the browser paints this screen: take the box's last text, focus and selection.
    releaseFirstScreen((taken) => {
      if (!taken) return;
      // Letters typed between this render and its commit are in the box only.
      if (taken.typed) setText(taken.text);
      if (!taken.selection) return;
      box.current?.focus();
      box.current?.setSelectionRange(taken.selection.start, taken.selection.end);
    });
  }, []);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (text.trim() !== q) setParams(text.trim() ? { q: text.trim() } : {}, { replace: true });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [text, q, setParams]);
  const query = useEnterprises(q);
  const reference = useReference();
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1 className="page-title">{t('officer.findTitle')}</h1>
      <Search
        ref={box}
        size="large"
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('officer.findHint')}
        aria-label={t('officer.findHint')}
        enterButton={t('common.search')}
        onSearch={(v) => setText(v)}
        style={{ marginBottom: 12 }}
      />
      <ErrorAlert error={query.error} onReload={() => void query.refetch()} />
      {/* A plain list: antd's List pulls in Pagination and Select, heavy for the first screen. */}
      {query.isLoading && (
        <Spin style={{ display: 'block', margin: 24 }} aria-label={t('common.loading')} />
      )}
      {!query.isLoading && items.length === 0 && <Empty description={t('common.empty')} />}
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((e) => (
          <li key={e.id} className="plain-card">
            <strong style={{ fontSize: 16 }}>{e.name}</strong>
            <div style={{ color: '#595959', fontSize: 13, wordBreak: 'break-all' }}>
              {e.creditCode} · {t('who.street', { name: reference.name('street', e.street) })}
              {e.building ? ` · ${e.building}` : ''}
            </div>
            {e.tags.length > 0 && (
              <div className="plain-tags">
                {e.tags.map((tag) => (
                  <span key={tag} className="plain-tag">
                    {t(`tag.${tag}`)}
                  </span>
                ))}
              </div>
            )}
            <Link to={`/officer/visit?enterprise=${encodeURIComponent(e.id)}`}>
              <Button type="primary" size="large" block style={{ marginTop: 8 }}>
                {t('officer.logVisit')}
              </Button>
            </Link>
          </li>
        ))}
      </ul>
      <LoadMore {...query} shown={items.length} />
      <div className="plain-card" style={{ marginTop: 12 }}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <span>{t('officer.notFound')}</span>
          <Link to={`/officer/enterprises/new${q ? `?name=${encodeURIComponent(q)}` : ''}`}>
            <Button icon={<PlusOutlined />} size="large" block>
              {t('officer.registerNew')}
            </Button>
          </Link>
        </Space>
      </div>
    </>
  );
}
