/** 省/市/县/街道/社区 picker: antd Cascader whose levels load lazily through the injected loader. */
import { createContext, useContext, useEffect, useState } from 'react';
import { Cascader } from 'antd';
import { connect, mapReadPretty } from '@formily/react';
import { createRegionLoader, regionNames, type RegionLoader } from '../region-loader';
import { a11yProps } from './inputs';

export const RegionLoaderContext = createContext<RegionLoader>(createRegionLoader());

interface Option { value: string; label: string; isLeaf: boolean; children?: Option[] }

interface Props {
  value?: string[];
  onChange?: (v: string[] | undefined) => void;
  levels?: number;
  disabled?: boolean;
  id?: string;
  [aria: `aria-${string}`]: unknown;
}

const toOptions = (nodes: { code: string; name: string; leaf?: boolean }[], depth: number, levels: number): Option[] =>
  nodes.map((n) => ({ value: n.code, label: n.name, isLeaf: !!n.leaf || depth + 1 >= levels }));

function RegionEditor(props: Props) {
  const { value, onChange, levels = 3, disabled } = props;
  const loader = useContext(RegionLoaderContext);
  const [options, setOptions] = useState<Option[]>([]);
  useEffect(() => {
    let live = true;
    void (async () => {
      const roots = toOptions(await loader(null), 0, levels);
      // Pre-load the path of an existing value so the cascader can show it.
      let list = roots;
      for (let i = 0; value && i < value.length - 1; i++) {
        const o = list.find((x) => x.value === value[i]);
        if (!o) break;
        o.children = toOptions(await loader(o.value), i + 1, levels);
        list = o.children;
      }
      if (live) setOptions(roots);
    })();
    return () => { live = false; };
    // Only on mount (and loader change): later levels load on demand.
  }, [loader, levels]);
  const loadData = async (selected: Option[]) => {
    const target = selected[selected.length - 1]!;
    const children = toOptions(await loader(target.value), selected.length, levels);
    target.children = children;
    if (children.length === 0) target.isLeaf = true;
    setOptions((o) => [...o]);
  };
  return (
    <Cascader
      {...a11yProps(props)}
      options={options}
      loadData={(s) => void loadData(s as Option[])}
      value={value}
      disabled={disabled}
      changeOnSelect={false}
      placeholder={['请选择省', '市', '县（区）', '街道（乡镇）', '社区（村）'].slice(0, levels).join(' / ')}
      onChange={(v) => onChange?.(v && v.length ? (v as string[]) : undefined)}
      style={{ width: '100%' }}
    />
  );
}

function RegionText({ value }: { value?: string[] }) {
  const loader = useContext(RegionLoaderContext);
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    if (value?.length) void regionNames(loader, value).then((n) => { if (live) setNames(n); });
    return () => { live = false; };
  }, [loader, value]);
  return <span className="lb-text">{names.join(' ')}</span>;
}

export const RegionPicker = connect(RegionEditor, mapReadPretty(RegionText));
