/** A matter's 咨询电话, office address and hours (manifest `contact`), on the matter and case pages. */
import type { MatterContactInfo } from '../api/index';

export function MatterContact({ contact }: { contact?: MatterContactInfo }) {
  if (!contact || !(contact.phone || contact.address || contact.hours)) return null;
  return (
    <dl className="lb-matter-contact" data-testid="matter-contact">
      {contact.phone ? <><dt>咨询电话</dt><dd><a href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</a></dd></> : null}
      {contact.address ? <><dt>办理地点</dt><dd>{contact.address}</dd></> : null}
      {contact.hours ? <><dt>办公时间</dt><dd>{contact.hours}</dd></> : null}
    </dl>
  );
}
