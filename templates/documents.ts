/**
 * Official document templates of a city, as data: `<city>/documents/settings.json` (the issuer,
 * the legal remedy wording, how many copies of the application to print) and one
 * `<city>/documents/<kind>.json` per kind of document (受理回执, 不予批准决定, 办结通知书,
 * 补正告知书…): a title and paragraphs with `{{placeholder}}`s the server fills in
 * (server/src/services/document-text.ts lists them). A new notice is a new file, not code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR, type CityKey } from './index';

export interface DocumentSettings {
  /** Who issues the documents, printed as the issuer (the city's name when absent). */
  issuer?: string;
  /** The legal remedy wording (行政复议/行政诉讼), the `{{remedy}}` placeholder. */
  remedy: string;
  /** Copies of the application in its printed PDF (常州: 一式三份). */
  applicationCopies: number;
}

export interface DocumentTemplate {
  kind: string;
  title: string;
  /** Paragraphs; a paragraph that is exactly `{{items}}` (or another list placeholder) prints as a list. */
  paragraphs: string[];
}

export interface CityDocuments {
  settings: DocumentSettings;
  templates: DocumentTemplate[];
}

/** Reads one city's document templates (none: no documents folder). */
export function loadCityDocuments(city: CityKey | string, root: string = TEMPLATES_DIR): CityDocuments | null {
  const dir = join(root, city, 'documents');
  if (!/^[a-z][a-z0-9-]{0,59}$/.test(city) || !existsSync(dir)) return null;
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
  const settings = read('settings.json') as DocumentSettings;
  const templates = readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'settings.json').sort()
    .map((n) => read(n) as DocumentTemplate);
  return { settings, templates };
}
