/**
 * Semantic comparison of two BPMN documents for round-trip tests (the MIWG procedure): both are
 * parsed with bpmn-moddle (plus our lb: extension) and flattened into one record per element —
 * keyed by id, or by its path under the nearest element with an id — holding its type, its
 * attribute values (numbers compared as numbers, references as ids), foreign attributes and
 * body text. DI is part of the tree, so shape bounds, label bounds and edge waypoints compare
 * like any other attribute. XML formatting, attribute order and namespace prefixes do not matter.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { lianbanModdle } from '@lianban/runtime';

type Value = string | number | boolean | null;
type Rec = Record<string, Value>;

interface Node {
  $type: string;
  id?: string;
  $descriptor: { isGeneric?: boolean; properties: Array<{ name: string; ns?: { name: string; prefix: string }; isMany?: boolean; isReference?: boolean; isAttr?: boolean; type: string }> };
  $attrs?: Record<string, string>;
  $children?: Node[];
  $body?: string;
  [key: string]: unknown;
}

const isNode = (x: unknown): x is Node => !!x && typeof x === 'object' && typeof (x as Node).$type === 'string';
const refId = (x: unknown) => (isNode(x) ? (x.id ?? `<${x.$type}>`) : String(x));

function flatten(root: Node): Map<string, Rec> {
  const out = new Map<string, Rec>();
  const visit = (node: Node, key: string) => {
    const rec: Rec = { $type: node.$type };
    out.set(key, rec);
    const child = (c: Node, path: string) => visit(c, c.id && !out.has(c.id) ? c.id : `${key}/${path}`);
    for (const [k, v] of Object.entries(node.$attrs ?? {})) {
      // xsi:type naming the element's own type says nothing beyond $type: `dc:Point` on a
      // waypoint, or the XSD name `tFormalExpression` (any prefix) on a bpmn:FormalExpression.
      if (k.startsWith('xmlns') || (k === 'xsi:type' && localName(v).replace(/^t(?=[A-Z])/, '') === localName(node.$type))) continue;
      rec[`@${k}`] = v;
    }
    if (node.$descriptor.isGeneric) {
      const prefix = node.$type.split(':')[0];
      for (const [k, v] of Object.entries(node)) {
        if (k.startsWith('$') || v == null || typeof v === 'object') continue;
        // A foreign element repeating an attribute with its own prefix (`a="x" triso:a="x"`):
        // moddle reads both names as one property, so only one comes back.
        if (k.startsWith(`${prefix}:`) && node[k.slice(prefix.length + 1)] === v) continue;
        rec[k] = v as Value;
      }
      if (node.$body?.trim()) rec.$body = node.$body.trim();
      (node.$children ?? []).forEach((c, i) => child(c, `$children[${i}]`));
      return;
    }
    for (const p of node.$descriptor.properties) {
      const v = node[p.name];
      // Extension properties (lb:…) are named with their prefix, so they cannot shadow BPMN ones.
      const name = p.ns && p.ns.prefix !== node.$type.split(':')[0] ? p.ns.name : p.name;
      if (v == null || (Array.isArray(v) && !v.length)) continue;
      if (p.isReference) {
        rec[name] = Array.isArray(v) ? v.map(refId).join(' ') : refId(v);
      } else if (Array.isArray(v)) {
        v.forEach((c, i) => (isNode(c) ? child(c, `${p.name}[${i}]`) : (rec[`${name}[${i}]`] = c as Value)));
      } else if (isNode(v)) {
        child(v, p.name);
      } else if (typeof v === 'string' && p.name === 'body') {
        if (v.trim()) rec.body = v.trim();
      } else {
        rec[name] = v as Value;
      }
    }
  };
  visit(root, root.id ?? '<definitions>');
  return out;
}

/** Parses BPMN XML into the flattened records (throws when it is not BPMN XML). */
export async function bpmnRecords(xml: string): Promise<Map<string, Rec>> {
  const moddle = new BpmnModdle({ lb: lianbanModdle });
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  return flatten(rootElement as Node);
}

/** Human-readable differences between two BPMN documents; empty when they are equivalent. */
export async function diffBpmn(before: string, after: string): Promise<string[]> {
  const [a, b] = await Promise.all([bpmnRecords(before), bpmnRecords(after)]);
  const diffs: string[] = [];
  for (const [key, ra] of a) {
    const rb = b.get(key);
    if (!rb) { diffs.push(`missing ${key} (${ra.$type})`); continue; }
    for (const prop of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      if (!same(ra[prop], rb[prop])) diffs.push(`${key}.${prop}: ${JSON.stringify(ra[prop])} → ${JSON.stringify(rb[prop])}`);
    }
  }
  for (const [key, rb] of b) if (!a.has(key)) diffs.push(`added ${key} (${rb.$type})`);
  return diffs;
}

/** Counts of records by type (for asserting a document was not empty). */
export async function countTypes(xml: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const r of (await bpmnRecords(xml)).values()) counts[r.$type as string] = (counts[r.$type as string] ?? 0) + 1;
  return counts;
}

function localName(type: string): string {
  return type.split(':').pop()!;
}

function same(x: Value | undefined, y: Value | undefined): boolean {
  if (x === y) return true;
  // Numbers may be written as "100" or "100.0"; moddle parses Real/Integer attributes to numbers.
  return typeof x === 'number' && typeof y === 'number' && Math.abs(x - y) < 1e-9;
}
