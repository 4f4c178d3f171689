/**
 * Materials upload: one line per material the field collects (必需 / 依申请), files picked per
 * material, and a 容缺承诺 tick where a material may be handed in later. Files go through the
 * injected uploader (the server's attachment API, later); without one only name and size are kept.
 */
import { createContext, useContext } from 'react';
import { Button, Checkbox, Tag, Upload } from 'antd';
import { connect, mapReadPretty } from '@formily/react';
import type { MaterialSpec, UploadedFile } from '@lianban/runtime';
import { a11yProps } from './inputs';
import { ReuseMaterialButton } from './MaterialReuse';

/**
 * Stores a picked file and returns its attachment id; `material` is the code of the material it is
 * (kept with the file, e.g. for the receipt). On failure it tells the user why itself, then rejects
 * (the file is not listed).
 */
export type FileUploader = (file: File, material?: string) => Promise<{ fileId: string }>;
export const FileUploaderContext = createContext<FileUploader | undefined>(undefined);

interface Props {
  value?: UploadedFile[];
  onChange?: (v: UploadedFile[] | undefined) => void;
  materials?: MaterialSpec[];
  disabled?: boolean;
  [aria: `aria-${string}`]: unknown;
  role?: string;
}

const GENERIC: MaterialSpec = { code: '', name: '材料', need: 'always' };

function MaterialsEditor(props: Props) {
  const { value = [], onChange, materials = [], disabled } = props;
  const uploader = useContext(FileUploaderContext);
  const specs = materials.length ? materials : [GENERIC];
  const set = (next: UploadedFile[]) => onChange?.(next.length ? next : undefined);
  const add = async (spec: MaterialSpec, file: File) => {
    const stored = uploader ? await uploader(file, spec.code || undefined) : undefined;
    set([...value, { name: file.name, size: file.size, ...(spec.code ? { material: spec.code } : {}), ...(stored ? { fileId: stored.fileId } : {}) }]);
  };
  return (
    <div {...a11yProps(props)}>
    <ul className="lb-materials">
      {specs.map((spec) => {
        const files = value.filter((f) => (f.material ?? '') === spec.code);
        const promised = files.some((f) => f.promised);
        return (
          <li key={spec.code || 'generic'} className="lb-material">
            <div className="lb-material-head">
              <span>{spec.name}</span>
              {spec.code ? <Tag color={spec.need === 'on-request' ? 'default' : 'blue'}>{spec.need === 'on-request' ? '依申请提供' : '必需提供'}</Tag> : null}
            </div>
            <div className="lb-material-files">
              {files.filter((f) => !f.promised).map((f, i) => (
                <span key={i} className="lb-file">
                  {f.name}
                  {!disabled ? <Button type="link" size="small" aria-label={`移除 ${f.name}`} onClick={() => set(value.filter((x) => x !== f))}>移除</Button> : null}
                </span>
              ))}
              <Upload showUploadList={false} disabled={disabled} beforeUpload={(file) => { add(spec, file).catch(() => { /* the uploader said why; nothing listed */ }); return false; }}>
                <Button size="small" disabled={disabled} aria-label={`选择文件：${spec.name}`}>选择文件</Button>
              </Upload>
              <ReuseMaterialButton material={spec} disabled={disabled} onPicked={(f) => set([...value, f])} />
              {spec.promiseAllowed ? (
                <Checkbox
                  checked={promised}
                  disabled={disabled}
                  onChange={(e) => set(e.target.checked
                    ? [...value, { name: `${spec.name}（容缺承诺，后补）`, material: spec.code, promised: true }]
                    : value.filter((f) => !(f.promised && f.material === spec.code)))}
                >容缺承诺（后补）</Checkbox>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
    </div>
  );
}

function MaterialsText({ value = [] }: Props) {
  return <span className="lb-text">{value.map((f) => f.name).join('、')}</span>;
}

export const MaterialsUpload = connect(MaterialsEditor, mapReadPretty(MaterialsText));
