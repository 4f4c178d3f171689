/**
 * The aggregation stages and operators the statistics use (services/stats.ts), each run through
 * the real path — mongoose → driver → wire protocol → embedded database (or MONGODB_URI when set)
 * — on the input documents of MongoDB's manual page for it, compared with the output that page
 * documents. Prices given there as Decimal128 are plain numbers here (the embedded database
 * reads BSON numbers as JS numbers: embedded-db/README.md "Known differences"). Where the manual
 * says the order of the output is unspecified, both sides are sorted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mongoose from 'mongoose';
import { aggregateCounts } from '@lianban/embedded-db';
import { openTestDb, unknownCommands, type TestDb } from '../server/db/harness';

type Doc = Record<string, unknown>;
const d = (iso: string) => new Date(iso);
const byId = (a: Doc, b: Doc) => JSON.stringify(a._id).localeCompare(JSON.stringify(b._id));

describe('aggregation stages against the MongoDB manual', () => {
  let t: TestDb;
  let conn: mongoose.Connection;
  let n = 0;
  /** A fresh collection with `docs`, then the pipeline's output. */
  async function run(docs: Doc[], pipeline: Doc[]): Promise<Doc[]> {
    const coll = conn.collection(`c${n++}`);
    await coll.insertMany(docs.map((x) => ({ ...x })));
    return coll.aggregate(pipeline).toArray() as Promise<Doc[]>;
  }
  beforeAll(async () => {
    t = await openTestDb('aggstages');
    conn = await t.mongoose();
  });
  afterAll(async () => {
    expect(unknownCommands(t.sent)).toEqual([]);
    await t.close();
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/match/
  const articles = [
    { author: 'dave', score: 80, views: 100 }, { author: 'dave', score: 85, views: 521 },
    { author: 'ahn', score: 60, views: 1000 }, { author: 'li', score: 55, views: 5000 },
    { author: 'annT', score: 60, views: 50 }, { author: 'li', score: 94, views: 999 },
    { author: 'ty', score: 95, views: 1000 },
  ];
  it('$match: equality match and counting matched documents', async () => {
    const eq = await run(articles, [{ $match: { author: 'dave' } }, { $project: { _id: 0 } }]);
    expect(eq).toEqual([{ author: 'dave', score: 80, views: 100 }, { author: 'dave', score: 85, views: 521 }]);
    const count = await run(articles, [
      { $match: { $or: [{ score: { $gt: 70, $lt: 90 } }, { views: { $gte: 1000 } }] } },
      { $group: { _id: null, count: { $sum: 1 } } },
    ]);
    expect(count).toEqual([{ _id: null, count: 5 }]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/group/
  const sales = [
    { _id: 1, item: 'abc', price: 10, quantity: 2, date: d('2014-03-01T08:00:00Z') },
    { _id: 2, item: 'jkl', price: 20, quantity: 1, date: d('2014-03-01T09:00:00Z') },
    { _id: 3, item: 'xyz', price: 5, quantity: 10, date: d('2014-03-15T09:00:00Z') },
    { _id: 4, item: 'xyz', price: 5, quantity: 20, date: d('2014-04-04T11:21:39.736Z') },
    { _id: 5, item: 'abc', price: 10, quantity: 10, date: d('2014-04-04T21:23:13.331Z') },
    { _id: 6, item: 'def', price: 7.5, quantity: 5, date: d('2015-06-04T05:08:13Z') },
    { _id: 7, item: 'def', price: 7.5, quantity: 10, date: d('2015-09-10T08:43:00Z') },
    { _id: 8, item: 'abc', price: 10, quantity: 5, date: d('2016-02-06T20:20:13Z') },
  ];
  it('$group: by item with a having-$match, by day with $sort, by null; $sum $avg $multiply', async () => {
    const having = await run(sales, [
      { $group: { _id: '$item', totalSaleAmount: { $sum: { $multiply: ['$price', '$quantity'] } } } },
      { $match: { totalSaleAmount: { $gte: 100 } } },
    ]);
    expect(having.sort(byId)).toEqual([{ _id: 'abc', totalSaleAmount: 170 }, { _id: 'def', totalSaleAmount: 112.5 }, { _id: 'xyz', totalSaleAmount: 150 }]);
    const byDay = await run(sales, [
      { $match: { date: { $gte: d('2014-01-01'), $lt: d('2015-01-01') } } },
      { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$date' } }, totalSaleAmount: { $sum: { $multiply: ['$price', '$quantity'] } }, averageQuantity: { $avg: '$quantity' }, count: { $sum: 1 } } },
      { $sort: { totalSaleAmount: -1 } },
    ]);
    expect(byDay).toEqual([
      { _id: '2014-04-04', totalSaleAmount: 200, averageQuantity: 15, count: 2 },
      { _id: '2014-03-15', totalSaleAmount: 50, averageQuantity: 10, count: 1 },
      { _id: '2014-03-01', totalSaleAmount: 40, averageQuantity: 1.5, count: 2 },
    ]);
    const all = await run(sales, [{ $group: { _id: null, totalSaleAmount: { $sum: { $multiply: ['$price', '$quantity'] } }, averageQuantity: { $avg: '$quantity' }, count: { $sum: 1 } } }]);
    expect(all).toEqual([{ _id: null, totalSaleAmount: 452.5, averageQuantity: 7.875, count: 8 }]);
  });

  it('$group with $push (pivot), $min and $max', async () => {
    // https://www.mongodb.com/docs/manual/reference/operator/aggregation/group/#pivot-data
    const books = [
      { _id: 8751, title: 'The Banquet', author: 'Dante', copies: 2 }, { _id: 8752, title: 'Divine Comedy', author: 'Dante', copies: 1 },
      { _id: 8645, title: 'Eclogues', author: 'Dante', copies: 2 }, { _id: 7000, title: 'The Odyssey', author: 'Homer', copies: 10 },
      { _id: 7020, title: 'Iliad', author: 'Homer', copies: 10 },
    ];
    const pivot = await run(books, [{ $group: { _id: '$author', books: { $push: '$title' } } }]);
    expect(pivot.sort(byId)).toEqual([{ _id: 'Dante', books: ['The Banquet', 'Divine Comedy', 'Eclogues'] }, { _id: 'Homer', books: ['The Odyssey', 'Iliad'] }]);
    // https://www.mongodb.com/docs/manual/reference/operator/aggregation/max/ and …/min/
    const sales2 = [
      { _id: 1, item: 'abc', price: 10, quantity: 2, date: d('2014-01-01T08:00:00Z') },
      { _id: 2, item: 'jkl', price: 20, quantity: 1, date: d('2014-02-03T09:00:00Z') },
      { _id: 3, item: 'xyz', price: 5, quantity: 5, date: d('2014-02-03T09:05:00Z') },
      { _id: 4, item: 'abc', price: 10, quantity: 10, date: d('2014-02-15T08:00:00Z') },
      { _id: 5, item: 'xyz', price: 5, quantity: 10, date: d('2014-02-15T09:05:00Z') },
    ];
    const max = await run(sales2, [{ $group: { _id: '$item', maxTotalAmount: { $max: { $multiply: ['$price', '$quantity'] } }, maxQuantity: { $max: '$quantity' } } }]);
    expect(max.sort(byId)).toEqual([{ _id: 'abc', maxTotalAmount: 100, maxQuantity: 10 }, { _id: 'jkl', maxTotalAmount: 20, maxQuantity: 1 }, { _id: 'xyz', maxTotalAmount: 50, maxQuantity: 10 }]);
    const min = await run(sales2, [{ $group: { _id: '$item', minQuantity: { $min: '$quantity' } } }]);
    expect(min.sort(byId)).toEqual([{ _id: 'abc', minQuantity: 2 }, { _id: 'jkl', minQuantity: 1 }, { _id: 'xyz', minQuantity: 5 }]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/project/
  it('$project: include fields, computed fields and embedded paths', async () => {
    const books = [{ _id: 1, title: 'abc123', isbn: '0001122223334', author: { last: 'zzz', first: 'aaa' }, copies: 5 }];
    expect(await run(books, [{ $project: { title: 1, author: 1 } }])).toEqual([{ _id: 1, title: 'abc123', author: { last: 'zzz', first: 'aaa' } }]);
    expect(await run(books, [{ $project: { _id: 0, title: 1, author: 1 } }])).toEqual([{ title: 'abc123', author: { last: 'zzz', first: 'aaa' } }]);
    const computed = await run(books, [{ $project: {
      title: 1,
      isbn: { prefix: { $substr: ['$isbn', 0, 3] }, group: { $substr: ['$isbn', 3, 2] }, publisher: { $substr: ['$isbn', 5, 4] }, title: { $substr: ['$isbn', 9, 3] }, checkDigit: { $substr: ['$isbn', 12, 1] } },
      lastName: '$author.last', copiesSold: '$copies',
    } }]);
    expect(computed).toEqual([{ _id: 1, title: 'abc123', isbn: { prefix: '000', group: '11', publisher: '2222', title: '333', checkDigit: '4' }, lastName: 'zzz', copiesSold: 5 }]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/unwind/
  it('$unwind: plain, preserveNullAndEmptyArrays and includeArrayIndex', async () => {
    const clothing = [
      { _id: 1, item: 'ABC', price: 80, sizes: ['S', 'M', 'L'] }, { _id: 2, item: 'EFG', price: 120, sizes: [] },
      { _id: 3, item: 'IJK', price: 160, sizes: 'M' }, { _id: 4, item: 'LMN', price: 10 }, { _id: 5, item: 'XYZ', price: 5.75, sizes: null },
    ];
    expect(await run(clothing, [{ $unwind: '$sizes' }])).toEqual([
      { _id: 1, item: 'ABC', price: 80, sizes: 'S' }, { _id: 1, item: 'ABC', price: 80, sizes: 'M' },
      { _id: 1, item: 'ABC', price: 80, sizes: 'L' }, { _id: 3, item: 'IJK', price: 160, sizes: 'M' },
    ]);
    expect(await run(clothing, [{ $unwind: { path: '$sizes', preserveNullAndEmptyArrays: true } }])).toEqual([
      { _id: 1, item: 'ABC', price: 80, sizes: 'S' }, { _id: 1, item: 'ABC', price: 80, sizes: 'M' }, { _id: 1, item: 'ABC', price: 80, sizes: 'L' },
      { _id: 2, item: 'EFG', price: 120 }, { _id: 3, item: 'IJK', price: 160, sizes: 'M' }, { _id: 4, item: 'LMN', price: 10 },
      { _id: 5, item: 'XYZ', price: 5.75, sizes: null },
    ]);
    expect(await run(clothing, [{ $unwind: { path: '$sizes', includeArrayIndex: 'arrayIndex' } }])).toEqual([
      { _id: 1, item: 'ABC', price: 80, sizes: 'S', arrayIndex: 0 }, { _id: 1, item: 'ABC', price: 80, sizes: 'M', arrayIndex: 1 },
      { _id: 1, item: 'ABC', price: 80, sizes: 'L', arrayIndex: 2 }, { _id: 3, item: 'IJK', price: 160, sizes: 'M', arrayIndex: null },
    ]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/sort/
  it('$sort: on a field with duplicates and _id for a consistent order', async () => {
    const restaurants = [
      { _id: 1, name: 'Central Park Cafe', borough: 'Manhattan' }, { _id: 2, name: 'Rock A Feller Bar and Grill', borough: 'Queens' },
      { _id: 3, name: 'Empire State Pub', borough: 'Brooklyn' }, { _id: 4, name: "Stan's Pizzaria", borough: 'Manhattan' },
      { _id: 5, name: "Jane's Deli", borough: 'Brooklyn' },
    ];
    expect((await run(restaurants, [{ $sort: { borough: 1, _id: 1 } }])).map((x) => x._id)).toEqual([3, 5, 1, 4, 2]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/facet/ (with $sortByCount and $bucket)
  it('$facet: several sub-pipelines over the same input', async () => {
    const artwork = [
      { _id: 1, title: 'The Pillars of Society', artist: 'Grosz', year: 1926, price: 199.99, tags: ['painting', 'satire', 'Expressionism', 'caricature'] },
      { _id: 2, title: 'Melancholy III', artist: 'Munch', year: 1902, price: 280.0, tags: ['woodcut', 'Expressionism'] },
      { _id: 3, title: 'Dancer', artist: 'Miro', year: 1925, price: 76.04, tags: ['oil', 'Surrealism', 'painting'] },
      { _id: 4, title: 'The Great Wave off Kanagawa', artist: 'Hokusai', price: 167.3, tags: ['woodblock', 'ukiyo-e'] },
      { _id: 5, title: 'The Persistence of Memory', artist: 'Dali', year: 1931, price: 483.0, tags: ['Surrealism', 'painting', 'oil'] },
      { _id: 6, title: 'Composition VII', artist: 'Kandinsky', year: 1913, price: 385.0, tags: ['oil', 'painting', 'abstract'] },
      { _id: 7, title: 'The Scream', artist: 'Munch', year: 1893, tags: ['Expressionism', 'painting', 'oil'] },
      { _id: 8, title: 'Blue Flower', artist: "O'Keefe", year: 1918, price: 118.42, tags: ['abstract', 'painting'] },
    ];
    const [out] = await run(artwork, [{ $facet: {
      categorizedByTags: [{ $unwind: '$tags' }, { $sortByCount: '$tags' }],
      categorizedByPrice: [
        { $match: { price: { $exists: 1 } } },
        { $bucket: { groupBy: '$price', boundaries: [0, 150, 200, 300, 400], default: 'Other', output: { count: { $sum: 1 }, titles: { $push: '$title' } } } },
      ],
    } }]);
    expect(out!.categorizedByPrice).toEqual([
      { _id: 0, count: 2, titles: ['Dancer', 'Blue Flower'] },
      { _id: 150, count: 2, titles: ['The Pillars of Society', 'The Great Wave off Kanagawa'] },
      { _id: 200, count: 1, titles: ['Melancholy III'] },
      { _id: 300, count: 1, titles: ['Composition VII'] },
      { _id: 'Other', count: 1, titles: ['The Persistence of Memory'] },
    ]);
    // ties of $sortByCount come in no particular order: compare counts in order, ties as sets
    const tags = out!.categorizedByTags as { _id: string; count: number }[];
    expect(tags.map((x) => x.count)).toEqual([6, 4, 3, 2, 2, 1, 1, 1, 1, 1]);
    expect([...tags].sort((a, b) => b.count - a.count || a._id.localeCompare(b._id))).toEqual([
      { _id: 'painting', count: 6 }, { _id: 'oil', count: 4 }, { _id: 'Expressionism', count: 3 },
      { _id: 'abstract', count: 2 }, { _id: 'Surrealism', count: 2 },
      { _id: 'caricature', count: 1 }, { _id: 'satire', count: 1 }, { _id: 'ukiyo-e', count: 1 }, { _id: 'woodblock', count: 1 }, { _id: 'woodcut', count: 1 },
    ].sort((a, b) => b.count - a.count || a._id.localeCompare(b._id)));
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/bucket/
  it('$bucket: boundaries, default bucket and output accumulators, then $match', async () => {
    const artists = [
      { _id: 1, last_name: 'Bernard', first_name: 'Emil', year_born: 1868, year_died: 1941, nationality: 'France' },
      { _id: 2, last_name: 'Rippl-Ronai', first_name: 'Joszef', year_born: 1861, year_died: 1927, nationality: 'Hungary' },
      { _id: 3, last_name: 'Ostroumova', first_name: 'Anna', year_born: 1871, year_died: 1955, nationality: 'Russia' },
      { _id: 4, last_name: 'Van Gogh', first_name: 'Vincent', year_born: 1853, year_died: 1890, nationality: 'Holland' },
      { _id: 5, last_name: 'Maurer', first_name: 'Alfred', year_born: 1868, year_died: 1932, nationality: 'USA' },
      { _id: 6, last_name: 'Munch', first_name: 'Edvard', year_born: 1863, year_died: 1944, nationality: 'Norway' },
      { _id: 7, last_name: 'Redon', first_name: 'Odilon', year_born: 1840, year_died: 1916, nationality: 'France' },
      { _id: 8, last_name: 'Diriks', first_name: 'Edvard', year_born: 1855, year_died: 1930, nationality: 'Norway' },
    ];
    const out = await run(artists, [
      { $bucket: { groupBy: '$year_born', boundaries: [1840, 1850, 1860, 1870, 1880], default: 'Other', output: {
        count: { $sum: 1 }, artists: { $push: { name: { $concat: ['$first_name', ' ', '$last_name'] }, year_born: '$year_born' } },
      } } },
      { $match: { count: { $gt: 3 } } },
    ]);
    expect(out).toEqual([{ _id: 1860, count: 4, artists: [
      { name: 'Emil Bernard', year_born: 1868 }, { name: 'Joszef Rippl-Ronai', year_born: 1861 },
      { name: 'Alfred Maurer', year_born: 1868 }, { name: 'Edvard Munch', year_born: 1863 },
    ] }]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/dateTrunc/
  const cakeSales = [
    { _id: 0, type: 'chocolate', orderDate: d('2020-05-18T14:10:30Z'), state: 'CA', price: 13, quantity: 120 },
    { _id: 1, type: 'chocolate', orderDate: d('2021-03-20T11:30:05Z'), state: 'WA', price: 14, quantity: 140 },
    { _id: 2, type: 'vanilla', orderDate: d('2021-01-11T06:31:15Z'), state: 'CA', price: 12, quantity: 145 },
    { _id: 3, type: 'vanilla', orderDate: d('2020-02-08T13:13:23Z'), state: 'WA', price: 13, quantity: 104 },
    { _id: 4, type: 'strawberry', orderDate: d('2019-05-18T16:09:01Z'), state: 'CA', price: 41, quantity: 162 },
    { _id: 5, type: 'strawberry', orderDate: d('2019-01-08T06:12:03Z'), state: 'WA', price: 43, quantity: 134 },
  ];
  it('$dateTrunc: two-week bins in a time zone, six-month bins in $group', async () => {
    const weeks = await run(cakeSales, [{ $project: { _id: 1, orderDate: 1, truncatedOrderDate: { $dateTrunc: { date: '$orderDate', unit: 'week', binSize: 2, timezone: 'America/Los_Angeles', startOfWeek: 'Monday' } } } }]);
    expect(weeks.map((x) => (x.truncatedOrderDate as Date).toISOString())).toEqual([
      '2020-05-11T07:00:00.000Z', '2021-03-15T07:00:00.000Z', '2021-01-04T08:00:00.000Z', '2020-02-03T08:00:00.000Z',
      '2019-05-13T07:00:00.000Z', '2019-01-07T08:00:00.000Z',
    ]);
    const halves = await run(cakeSales, [{ $group: { _id: { truncatedOrderDate: { $dateTrunc: { date: '$orderDate', unit: 'month', binSize: 6 } } }, sumQuantity: { $sum: '$quantity' } } }]);
    expect(halves.map((x) => [((x._id as Doc).truncatedOrderDate as Date).toISOString(), x.sumQuantity]).sort()).toEqual([
      ['2019-01-01T00:00:00.000Z', 296], ['2020-01-01T00:00:00.000Z', 224], ['2021-01-01T00:00:00.000Z', 285],
    ]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/percentile/ and …/median/
  const testScores = [
    { studentId: '2345', test01: 62, test02: 81, test03: 80 }, { studentId: '2356', test01: 60, test02: 83, test03: 79 },
    { studentId: '2358', test01: 67, test02: 82, test03: 78 }, { studentId: '2367', test01: 64, test02: 72, test03: 77 },
    { studentId: '2369', test01: 60, test02: 53, test03: 72 },
  ];
  it('$percentile and $median as accumulators and as expressions', async () => {
    expect(await run(testScores, [{ $group: { _id: null, test01_percentiles: { $percentile: { input: '$test01', p: [0.5, 0.75, 0.9, 0.95], method: 'approximate' } } } }]))
      .toEqual([{ _id: null, test01_percentiles: [62, 64, 67, 67] }]);
    expect(await run(testScores, [{ $group: { _id: null, test01_median: { $median: { input: '$test01', method: 'approximate' } } } }]))
      .toEqual([{ _id: null, test01_median: 62 }]);
    expect(await run(testScores, [{ $project: { _id: 0, studentId: 1, testPercentiles: { $percentile: { input: ['$test01', '$test02', '$test03'], p: [0.5, 0.95], method: 'approximate' } } } }]))
      .toEqual([
        { studentId: '2345', testPercentiles: [80, 81] }, { studentId: '2356', testPercentiles: [79, 83] },
        { studentId: '2358', testPercentiles: [78, 82] }, { studentId: '2367', testPercentiles: [72, 77] },
        { studentId: '2369', testPercentiles: [60, 72] },
      ]);
  });

  it('$percentile sorts numbers as numbers (mingo 7.2 sorted them as text: the median of 2, 9, 10, 30, 100 came out as 2)', async () => {
    const xs = [9, 10, 100, 2, 30, 1000, 7, 'n/a', null];
    const out = await run(xs.map((x) => ({ x })), [{ $group: { _id: null, p: { $percentile: { input: '$x', p: [0, 0.5, 0.9, 1], method: 'approximate' } }, m: { $median: { input: '$x', method: 'approximate' } } } }]);
    // sorted numbers 2 7 9 10 30 100 1000 (n = 7): rank ⌈p·n⌉ → 1, 4, 7, 7
    expect(out).toEqual([{ _id: null, p: [2, 10, 1000, 1000], m: 10 }]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/dateDiff/
  it('$dateDiff inside $avg, then $trunc', async () => {
    const orders = [
      { custId: 456, purchased: d('2020-12-31'), delivered: d('2021-01-05') },
      { custId: 457, purchased: d('2021-02-28'), delivered: d('2021-03-07') },
      { custId: 458, purchased: d('2021-02-16'), delivered: d('2021-02-18') },
    ];
    expect(await run(orders, [
      { $group: { _id: null, averageTime: { $avg: { $dateDiff: { startDate: '$purchased', endDate: '$delivered', unit: 'day' } } } } },
      { $project: { _id: 0, numDays: { $trunc: ['$averageTime', 1] } } },
    ])).toEqual([{ numDays: 4.6 }]);
  });

  // https://www.mongodb.com/docs/manual/reference/operator/aggregation/cond/ and …/subtract/
  it('$cond and $subtract (numbers, and milliseconds from a date)', async () => {
    const inventory = [{ _id: 1, item: 'abc1', qty: 300 }, { _id: 2, item: 'abc2', qty: 200 }, { _id: 3, item: 'xyz1', qty: 250 }];
    expect(await run(inventory, [{ $project: { item: 1, discount: { $cond: { if: { $gte: ['$qty', 250] }, then: 30, else: 20 } } } }]))
      .toEqual([{ _id: 1, item: 'abc1', discount: 30 }, { _id: 2, item: 'abc2', discount: 20 }, { _id: 3, item: 'xyz1', discount: 30 }]);
    const sales3 = [
      { _id: 1, item: 'abc', price: 10, fee: 2, discount: 5, date: d('2014-03-01T08:00:00Z') },
      { _id: 2, item: 'jkl', price: 20, fee: 1, discount: 2, date: d('2014-03-01T09:00:00Z') },
    ];
    expect(await run(sales3, [{ $project: { item: 1, total: { $subtract: [{ $add: ['$price', '$fee'] }, '$discount'] } } }]))
      .toEqual([{ _id: 1, item: 'abc', total: 7 }, { _id: 2, item: 'jkl', total: 19 }]);
    expect(await run(sales3, [{ $project: { item: 1, dateDifference: { $subtract: ['$date', 5 * 60 * 1000] } } }]))
      .toEqual([{ _id: 1, item: 'abc', dateDifference: d('2014-03-01T07:55:00Z') }, { _id: 2, item: 'jkl', dateDifference: d('2014-03-01T08:55:00Z') }]);
  });

  it('refuses a pipeline longer than the limit (1000 stages, as MongoDB)', async () => {
    const coll = conn.collection('long');
    await coll.insertOne({ a: 1 });
    await expect(coll.aggregate(Array.from({ length: 1001 }, () => ({ $match: {} }))).toArray()).rejects.toThrow(/1000/);
  });

  // The embedded database copies only the fields a $project right after the leading $match reads:
  // the answer must be the same as without that shortcut (a `$skip: 0` in between turns it off).
  it('should answer a $match + $project pipeline the same whether or not only the read fields are copied', async () => {
    const docs = [
      { _id: 1, tenant: 'a', status: 'done', big: { data: 'x'.repeat(1000) }, tasks: [{ d: 'hrss', ms: 5 }, { d: 'applicant', ms: 1 }], timeline: [{ action: 'case.correction-requested' }], nested: { k: 1, j: 2 } },
      { _id: 2, tenant: 'a', status: 'open', tasks: [], timeline: [{ action: 'x' }], nested: { k: 3 } },
      { _id: 3, tenant: 'b', status: 'open', tasks: [{ d: 'hrss', ms: 7 }], timeline: [] },
    ];
    const projections: Doc[] = [
      { _id: 0, status: 1, tasks: { $filter: { input: '$tasks', as: 't', cond: { $ne: ['$$t.d', 'applicant'] } } }, corrected: { $in: ['case.correction-requested', { $ifNull: ['$timeline.action', []] }] } },
      { 'nested.k': 1, label: { $concat: ['$status', '-', { $literal: '$tenant' }] } },
      { whole: '$$ROOT', status: 1 },
      { big: 0, timeline: 0 },
      { nested: { k: 1 }, n: { $size: '$tasks' } },
      // top-level inclusions only: the copy is the projection, mingo does not project again
      { status: 1, tasks: 1 },
      { timeline: true, missing: 1, nested: 1, _id: 1 },
    ];
    for (const $project of projections) {
      const fast = await run(docs, [{ $match: { tenant: 'a' } }, { $project }]);
      const slow = await run(docs, [{ $match: { tenant: 'a' } }, { $skip: 0 }, { $project }]);
      expect(fast, JSON.stringify($project)).toEqual(slow);
      expect(fast.length).toBe(2);
    }
    // and with stages after it (the staff queue's shape: unwind, match, sort)
    const after = [{ $unwind: '$tasks' }, { $match: { 'tasks.d': 'hrss' } }, { $sort: { 'tasks.ms': -1 } }];
    const fast = await run(docs, [{ $match: { tenant: { $in: ['a', 'b'] } } }, { $project: { status: 1, tasks: 1 } }, ...after]);
    const slow = await run(docs, [{ $match: { tenant: { $in: ['a', 'b'] } } }, { $skip: 0 }, { $project: { status: 1, tasks: 1 } }, ...after]);
    expect(fast).toEqual([{ _id: 3, status: 'open', tasks: { d: 'hrss', ms: 7 } }, { _id: 1, status: 'done', tasks: { d: 'hrss', ms: 5 } }]);
    expect(fast).toEqual(slow);
  });

  // countDocuments (the driver's [$match, $skip?, $limit?, $group {_id: 1, n: {$sum: 1}}]): the
  // embedded database counts instead of copying every match out for mingo's $group (#24)
  it('countDocuments counts, with skip and limit, and none', async () => {
    const coll = conn.collection(`c${n++}`);
    await coll.insertMany(Array.from({ length: 25 }, (_, i) => ({ i, ackedAt: i % 5 === 0 ? new Date(i) : null, payload: { text: 'x'.repeat(100) } })));
    const before = aggregateCounts.counted;
    expect(await coll.countDocuments({ ackedAt: null })).toBe(20);
    expect(await coll.countDocuments({})).toBe(25);
    expect(await coll.countDocuments({ ackedAt: null }, { skip: 5 })).toBe(15);
    expect(await coll.countDocuments({ ackedAt: null }, { limit: 7 })).toBe(7);
    expect(await coll.countDocuments({ ackedAt: null }, { skip: 18, limit: 7 })).toBe(2);
    expect(await coll.countDocuments({ ackedAt: null }, { skip: 30 })).toBe(0);
    expect(await coll.countDocuments({ i: { $gt: 100 } })).toBe(0);
    // the same pipeline written by hand, and a $group the count does not take (mingo's, same figure)
    expect(await coll.aggregate([{ $match: { ackedAt: null } }, { $group: { _id: null, total: { $sum: 1 } } }]).toArray()).toEqual([{ _id: null, total: 20 }]);
    expect(await coll.aggregate([{ $match: { ackedAt: null } }, { $group: { _id: null, total: { $sum: '$i' } } }]).toArray()).toEqual([{ _id: null, total: 250 }]);
    if (t.embedded) expect(aggregateCounts.counted - before).toBe(8);
  });
});
