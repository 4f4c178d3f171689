/**
 * `useMaterialReuser(draft)`: what 「使用已有材料」 (免提交) of the application form lists and
 * attaches — the applicant's reusable materials, reused into the draft (created on the first use,
 * like an upload).
 */
import { useMemo } from 'react';
import { materials } from '../../api/index';
import type { MaterialReuser } from '../../forms/index';
import type { DraftSaver } from './draft-saver';

export function useMaterialReuser(draft: DraftSaver): MaterialReuser {
  return useMemo(() => ({
    list: (material: string) => materials.reusable({ material }),
    reuse: async (offer: string, material: string) => {
      const id = await draft.save();
      const stored = await materials.reuse(id, { offer, material });
      return { fileId: stored.fileId, name: stored.name, size: stored.size };
    },
  }), [draft]);
}
