/**
 * 单独事项 on the applicant's case page (issue 19 part 7): each linked item a department found
 * not eligible here (status `standalone`) with what to do and where — the item's `standalone`
 * text from the matter manifest, else a general line — and the matter's 咨询电话 and address.
 */
import { Alert, Card } from 'antd';
import type { CaseView, Matter } from '../api/index';
import { MatterContact } from './MatterContact';

export function StandaloneItems({ view, matter }: { view: CaseView; matter?: Matter }) {
  const standalone = view.items.filter((i) => i.status === 'standalone');
  if (!standalone.length) return null;
  return (
    <>
      {standalone.map((item) => {
        const def = matter?.linkedItems.find((d) => d.key === item.key);
        return (
          <Alert key={item.key} type="info" showIcon className="lb-section-card" data-testid="standalone-item" data-item={item.key}
            message={`「${item.title ?? def?.title ?? item.key}」需作为单独事项办理`}
            description={def?.standalone ?? '该事项不符合本次联办条件，需要您另行到该部门办理。具体要求请咨询下方电话或到办理地点询问。'} />
        );
      })}
    </>
  );
}

/** The matter's 咨询电话 and office, as a card on the case page. */
export function CaseContact({ matter }: { matter?: Matter }) {
  if (!matter?.contact) return null;
  return <Card size="small" className="lb-section-card" title="咨询与办理地点"><MatterContact contact={matter.contact} /></Card>;
}
