/**
 * `/designer/admin` — the city's administration without the command line: departments (and
 * how each works: our tasklist or its own system), accounts (create, roles, departments,
 * disable, reset password), department API keys (shown once), failed steps, SMS templates, the
 * case-number format and the provincial exchange's records.
 */
import { Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../auth/session';
import { DepartmentsTab } from './DepartmentsTab';
import { UsersTab } from './UsersTab';
import { ApiKeysTab } from './ApiKeysTab';
import { IncidentsTab } from './IncidentsTab';
import { SmsTab } from './SmsTab';
import { ExchangeTab } from './ExchangeTab';

export function CityAdminPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  return (
    <div>
      <Typography.Title level={3}>城市管理 · {me.tenant.name}</Typography.Title>
      <Tabs activeKey={params.get('tab') ?? 'departments'} onChange={(tab) => setParams({ tab })} items={[
        { key: 'departments', label: '部门', children: <DepartmentsTab /> },
        { key: 'users', label: '账户', children: <UsersTab /> },
        { key: 'api-keys', label: '接口密钥', children: <ApiKeysTab /> },
        { key: 'incidents', label: '故障', children: <IncidentsTab /> },
        { key: 'sms', label: '短信', children: <SmsTab /> },
        { key: 'exchange', label: '编号与交换', children: <ExchangeTab /> },
      ]} />
    </div>
  );
}
