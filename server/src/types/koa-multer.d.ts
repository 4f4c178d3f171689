// Minimal types for @koa/multer 4 (it ships none): what the attachments route uses.
declare module '@koa/multer' {
  import type { Middleware } from 'koa';
  interface File { fieldname: string; originalname: string; mimetype: string; size: number; buffer: Buffer }
  interface Options { storage?: unknown; defParamCharset?: string; limits?: { fileSize?: number; files?: number; fields?: number; fieldSize?: number } }
  interface Instance { single(field: string): Middleware }
  function multer(options?: Options): Instance;
  namespace multer { function memoryStorage(): unknown; type MulterFile = File }
  export default multer;
}
