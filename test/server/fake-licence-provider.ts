/**
 * A stand-in for the 电子证照 platform (docs/integrations.md, "电子证照"), started by the tests on
 * a local port: the wire protocol of server/src/services/licences/provider.ts, a bearer key, a
 * few licences of fictitious people, and switches to make it fail (`down`: 503) or hang (`slow`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLicence { id: string; kind: string; licenceNo: string; issuer: string; holderIdNumber: string; validUntil?: string; fileName: string; pdf: Buffer }

export const licencePdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);

export interface FakeLicenceProvider {
  url: string;
  key: string;
  mode: 'up' | 'down' | 'slow';
  /** Every request seen: method, path and JSON body. */
  requests: { method: string; path: string; body?: unknown; auth?: string }[];
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startFakeLicenceProvider(licences: FakeLicence[], key = 'fake-licence-key'): Promise<FakeLicenceProvider> {
  const meta = ({ pdf: _pdf, fileName: _name, ...l }: FakeLicence) => l;
  const held = new Set<{ destroy(): void }>();
  const fake: FakeLicenceProvider = { url: '', key, mode: 'up', requests: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const path = (req.url ?? '').split('?')[0]!;
      fake.requests.push({ method: req.method ?? '', path, body, auth: req.headers.authorization });
      if (fake.mode === 'slow') { held.add(res); return; } // never answers: the client's timeout must give up
      const send = (status: number, json: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json)); };
      if (fake.mode === 'down') return send(503, { message: 'maintenance' });
      if (req.headers.authorization !== `Bearer ${key}`) return send(401, { message: 'bad key' });
      if (req.method === 'POST' && path === '/licences/query') {
        const { idNumber, kinds } = body as { idNumber: string; kinds: string[] };
        return send(200, { licences: licences.filter((l) => l.holderIdNumber === idNumber && kinds.includes(l.kind)).map(meta) });
      }
      const file = /^\/licences\/([^/]+)\/file$/.exec(path);
      const l = file && licences.find((x) => x.id === decodeURIComponent(file[1]!));
      if (req.method === 'GET' && l) return send(200, { licence: meta(l), file: { name: l.fileName, contentType: 'application/pdf', data: l.pdf.toString('base64') } });
      return send(404, { message: 'no such licence' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    for (const r of held) r.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return fake;
}
