/** The matter's 咨询电话, 办理地点 and 办公时间 (manifest `contact`), shown to applicants on the portal. */
import { Input, Space } from 'antd';
import type { MatterDraft } from '../api/types';

type Contact = NonNullable<MatterDraft['contact']>;

export function MatterContactFields({ contact = {}, onChange }: { contact?: Contact; onChange(c: Contact): void }) {
  const set = (k: keyof Contact, v: string) => onChange({ ...contact, [k]: v });
  return (
    <Space wrap style={{ marginTop: 8 }} data-testid="matter-contact-fields">
      <span>咨询电话 <Input aria-label="咨询电话" value={contact.phone ?? ''} maxLength={100} style={{ width: 180 }} onChange={(e) => set('phone', e.target.value)} /></span>
      <span>办理地点 <Input aria-label="办理地点" value={contact.address ?? ''} maxLength={300} style={{ width: 420 }} onChange={(e) => set('address', e.target.value)} /></span>
      <span>办公时间 <Input aria-label="办公时间" value={contact.hours ?? ''} maxLength={200} style={{ width: 300 }} onChange={(e) => set('hours', e.target.value)} /></span>
    </Space>
  );
}
