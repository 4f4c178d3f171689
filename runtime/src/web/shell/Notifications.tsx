/** The notification bell: unread count as a badge, the list in a popover. */
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, List, Popover } from 'antd';
import { api, type Notification } from '../api/index';
import { formatTime } from '../case/labels';
import { t } from '../i18n';

export function NotificationBell() {
  const [items, setItems] = useState<Notification[]>([]);
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  useEffect(() => { api.notifications().then(setItems).catch(() => setItems([])); }, [open]);
  const unread = items.filter((n) => !n.read).length;
  const go = async (n: Notification) => {
    setOpen(false);
    if (!n.read) await api.markRead(n.id).catch(() => undefined);
    navigate(`/my/cases/${n.caseId}`);
  };
  const list = (
    <List
      className="lb-notifications"
      size="small"
      locale={{ emptyText: t('nav.noNotifications') }}
      dataSource={items.slice(0, 20)}
      renderItem={(n) => (
        <List.Item onClick={() => void go(n)} className={n.read ? 'lb-read' : 'lb-unread'}>
          <button type="button" className="lb-link-button">
            <div>{n.message}</div>
            <div className="lb-muted">{n.caseNo} · {formatTime(n.at)}</div>
          </button>
        </List.Item>
      )}
    />
  );
  return (
    <Popover content={list} title={t('nav.notifications')} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Badge count={unread} size="small">
        <Button type="text" className="lb-header-button" aria-label={`${t('nav.notifications')}（${unread}）`}>{t('nav.notifications')}</Button>
      </Badge>
    </Popover>
  );
}
