/** The database cascade: with no MONGODB_URI and no mongod, the embedded compatible server, persisted. */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import request from 'supertest';
import { configFromEnv, createApp, openDatabase } from '@lianban/server';
import { tempDir } from './harness';

const dir = tempDir('lianban-cascade-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const config = { ...configFromEnv({}), dataDir: dir, webRoot: '/nonexistent' };

describe('openDatabase without MONGODB_URI', () => {
  it('should fall through to embedded-compatible and keep what mongoose wrote across close and reopen', async () => {
    const first = await openDatabase(config);
    expect(first.mode).toBe('embedded-compatible');
    expect(first.uri).toMatch(/^mongodb:\/\/lianban:[\w-]+@127\.0\.0\.1:\d+\/.*authSource=admin/);
    const schema = new mongoose.Schema({ caseNo: { type: String, unique: true }, status: String });
    const Case = first.connection!.model('Case', schema);
    await Case.init();
    await Case.create({ caseNo: 'CZ202611210001', status: 'submitted' });
    const health = await request(createApp({ config, db: first }).callback()).get('/api/v1/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', db: { mode: 'embedded-compatible', available: true } });
    await first.close();

    const second = await openDatabase(config);
    try {
      expect(second.mode).toBe('embedded-compatible');
      const Again = second.connection!.model('Case', schema);
      expect(await Again.findOne({ caseNo: 'CZ202611210001' }).lean()).toMatchObject({ status: 'submitted' });
      await expect(Again.create({ caseNo: 'CZ202611210001', status: 'x' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await second.close();
    }
  });

  it('should freeze documents nobody touched when LIANBAN_DB_FREEZE_AFTER_MS asks for it, and read them back', async () => {
    const freezing = { ...configFromEnv({ LIANBAN_DB_FREEZE_AFTER_MS: '50' }), dataDir: tempDir('lianban-freeze-'), webRoot: '/nonexistent' };
    expect(freezing.dbFreezeAfterMs).toBe(50);
    expect(() => configFromEnv({ LIANBAN_DB_FREEZE_AFTER_MS: 'soon' })).toThrow(/LIANBAN_DB_FREEZE_AFTER_MS/);
    const db = await openDatabase(freezing);
    try {
      const coll = db.connection!.collection('cold');
      await coll.insertOne({ _id: 'a' as never, text: '退休'.repeat(400) });
      const frozen = async () => ((await db.connection!.db!.admin().command({ serverStatus: 1 })).lianban as { frozen: { docs: number } }).frozen.docs;
      for (let i = 0; i < 50 && (await frozen()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await frozen()).toBe(1);
      expect((await coll.findOne({ _id: 'a' as never }))!.text).toBe('退休'.repeat(400));
    } finally {
      await db.close();
      fs.rmSync(freezing.dataDir, { recursive: true, force: true });
    }
  });

  it('should connect a second process-like opener to the owner of the data directory by its URI', async () => {
    const owner = await openDatabase(config);
    const guest = await openDatabase(config);
    try {
      expect(guest.mode).toBe('embedded-compatible');
      expect(guest.embedded).toBeUndefined();
      expect(guest.uri).toBe(owner.uri);
      await owner.connection!.collection('shared').insertOne({ from: 'owner' });
      expect(await guest.connection!.collection('shared').findOne({ from: 'owner' })).not.toBeNull();
    } finally {
      await guest.close();
      await owner.close();
    }
  });

  it('should report the MONGODB_URI problem instead of throwing when it is unreachable', async () => {
    const db = await openDatabase({ ...config, mongodbUri: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300' });
    expect(db.mode).toBeNull();
    expect(db.problem).toMatch(/MONGODB_URI/);
  });
});
