import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GridFSBucket } from 'mongodb';
import { openTestDb, unknownCommands, type TestDb } from './harness';

describe('GridFS through the driver', () => {
  let t: TestDb;
  let bucket: GridFSBucket;
  beforeAll(async () => {
    t = await openTestDb('gridfs');
    bucket = new GridFSBucket(t.client.db(t.dbName), { bucketName: 'attachments' });
  });
  afterAll(async () => {
    expect(unknownCommands(t.sent)).toEqual([]);
    await t.close();
  });

  async function upload(name: string, data: Buffer) {
    const stream = bucket.openUploadStream(name, { metadata: { caseNo: 'CZ202611210001' } });
    await new Promise<void>((resolve, reject) => Readable.from([data]).pipe(stream).on('finish', () => resolve()).on('error', reject));
    return stream.id;
  }

  async function download(id: unknown): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of bucket.openDownloadStream(id as never)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  it('should upload a multi-chunk file and download it byte for byte', async () => {
    const data = randomBytes(700 * 1024 + 123); // three chunks of 255 KiB
    const id = await upload('身份证.pdf', data);
    const back = await download(id);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    const [file] = await bucket.find({ _id: id }).toArray();
    expect(file).toMatchObject({ filename: '身份证.pdf', length: data.length, metadata: { caseNo: 'CZ202611210001' } });
    expect(await t.client.db(t.dbName).collection('attachments.chunks').countDocuments({ files_id: id })).toBe(3);
  });

  it('should download by name, read a byte range, and delete', async () => {
    const data = Buffer.from('退休申请表'.repeat(1000));
    const id = await upload('form.txt', data);
    const chunks: Buffer[] = [];
    for await (const c of bucket.openDownloadStreamByName('form.txt', { start: 3, end: 9 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(data.subarray(3, 9));
    await bucket.delete(id);
    expect(await bucket.find({ _id: id }).toArray()).toEqual([]);
    await expect(download(id)).rejects.toThrow(/FileNotFound|not found/i);
  });
});
