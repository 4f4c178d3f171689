/**
 * 「使用已有材料」 (免提交) on a material of an upload field: a dialog listing the applicant's
 * verified files of earlier cases and their 电子证照 for that material, each with where it came
 * from; choosing one attaches it. The app injects what lists and attaches (`MaterialReuseContext`);
 * without it the button is not shown. When the licence platform fails the dialog says so and the
 * upload button beside it stays usable.
 */
import { createContext, useContext, useState } from 'react';
import { Alert, Button, List, Modal, Tag } from 'antd';
import type { ReusableMaterial, ReusableMaterials } from '@lianban/runtime/contract';

export interface MaterialReuser {
  list(material: string): Promise<ReusableMaterials>;
  /** Attaches the offer to the case being filled in; answers the stored file. */
  reuse(offer: string, material: string): Promise<{ fileId: string; name: string; size: number }>;
}
export const MaterialReuseContext = createContext<MaterialReuser | undefined>(undefined);

/** Where an offered material comes from, in words (the same as the staff see on the case). */
export function offerSource(m: ReusableMaterial): string {
  if (m.source === 'case') return `复用：办件 ${m.caseNo ?? ''}${m.verifiedAt ? `（${m.verifiedAt.slice(0, 10)} 办结核验）` : ''}`;
  return `电子证照：${m.kind ?? ''}（${[m.provider, m.licenceNo ? `证号 ${m.licenceNo}` : '', m.issuer, m.validUntil ? `有效期至 ${m.validUntil}` : ''].filter(Boolean).join('，')}）`;
}

interface Props {
  material: { code: string; name: string };
  disabled?: boolean;
  onPicked(file: { fileId: string; name: string; size: number; material: string }): void;
}

export function ReuseMaterialButton({ material, disabled, onPicked }: Props) {
  const reuser = useContext(MaterialReuseContext);
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<ReusableMaterials>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  if (!reuser || !material.code) return null;
  const show = () => {
    setOpen(true);
    setList(undefined);
    setError(undefined);
    reuser.list(material.code).then(setList, (e: Error) => setError(e.message || '无法读取可复用的材料'));
  };
  const pick = async (m: ReusableMaterial) => {
    setBusy(m.offer);
    setError(undefined);
    try {
      const stored = await reuser.reuse(m.offer, material.code);
      onPicked({ ...stored, material: material.code });
      setOpen(false);
    } catch (e) {
      setError((e as Error).message || '复用失败，请直接上传');
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <>
      <Button size="small" disabled={disabled} onClick={show} aria-label={`使用已有材料：${material.name}`} data-testid={`reuse-${material.code}`}>使用已有材料</Button>
      <Modal open={open} title={`使用已有材料：${material.name}`} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        {list?.licenceProblem ? <Alert type="warning" showIcon role="status" message={list.licenceProblem} style={{ marginBottom: 12 }} /> : null}
        {error ? <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 12 }} /> : null}
        <List<ReusableMaterial>
          loading={!list && !error}
          dataSource={list?.materials ?? []}
          locale={{ emptyText: '没有可复用的材料，请直接上传' }}
          renderItem={(m) => (
            <List.Item actions={[<Button key="use" type="primary" size="small" loading={busy === m.offer} disabled={!!busy && busy !== m.offer} onClick={() => void pick(m)} aria-label={`使用 ${m.name}`}>使用</Button>]}>
              <List.Item.Meta
                title={<span>{m.name} <Tag color={m.source === 'licence' ? 'green' : 'blue'}>{m.source === 'licence' ? '电子证照' : '已办结办件'}</Tag></span>}
                description={offerSource(m)}
              />
            </List.Item>
          )}
        />
      </Modal>
    </>
  );
}
