/**
 * Who is really calling, behind a reverse proxy. `X-Forwarded-For` and `X-Forwarded-Proto` are
 * believed only when the socket's peer is a trusted proxy (LIANBAN_TRUSTED_PROXIES: addresses or
 * CIDRs, none by default); from anyone else they are ignored, so the audit's addresses and the
 * sign-in throttling cannot be steered by a forged header (docs/security.md).
 */
import net from 'node:net';
import type { Context, Next } from 'koa';

/** A parsed LIANBAN_TRUSTED_PROXIES. */
export interface TrustedProxies {
  readonly list: BlockList | null;
  readonly entries: readonly string[];
}
type BlockList = net.BlockList;

/** `::ffff:127.0.0.1` → `127.0.0.1`; trims and drops an IPv6 zone; null when not an address. */
export function normalizeAddress(raw: string | undefined): string | null {
  if (!raw) return null;
  let a = raw.trim();
  if (a.startsWith('[') && a.includes(']')) a = a.slice(1, a.indexOf(']'));
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1]!;
  return net.isIP(a) ? a.toLowerCase() : null;
}

/** Parses `10.0.0.1, 10.1.0.0/16, ::1`; throws naming the entry that is neither an address nor a CIDR. */
export function parseTrustedProxies(spec: string | readonly string[] | undefined): TrustedProxies {
  const entries = (typeof spec === 'string' ? spec.split(',') : spec ?? []).map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return { list: null, entries };
  const list = new net.BlockList();
  for (const entry of entries) {
    const [addr, bits, extra] = entry.split('/');
    const address = normalizeAddress(addr);
    const family = address && net.isIPv6(address) ? 'ipv6' : 'ipv4';
    const prefix = bits === undefined ? undefined : Number(bits);
    if (!address || extra !== undefined || (prefix !== undefined && (!/^\d+$/.test(bits!) || prefix > (family === 'ipv6' ? 128 : 32)))) {
      throw new Error(`LIANBAN_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR`);
    }
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, prefix, family);
  }
  return { list, entries };
}

export function isTrusted(trusted: TrustedProxies, address: string | null): boolean {
  if (!trusted.list || !address) return false;
  return trusted.list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the socket peer, unless that is a trusted proxy — then the
 * `X-Forwarded-For` chain is walked from the right (the hop nearest to us), skipping trusted
 * proxies; the first untrusted hop is the client. A hop that is not an address stops the walk at
 * the trusted proxy that reported it.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  let current = normalizeAddress(socketAddress);
  if (!current) return socketAddress ?? '';
  if (!forwardedFor || !isTrusted(trusted, current)) return current;
  const hops = forwardedFor.split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0 && isTrusted(trusted, current); i--) {
    const hop = normalizeAddress(hops[i]);
    if (!hop) break;
    current = hop;
  }
  return current;
}

/**
 * Koa middleware (the app runs with `proxy: false`): sets `ctx.request.ip` to `clientAddress`,
 * and `ctx.protocol`/`ctx.secure` from `X-Forwarded-Proto` when the peer is a trusted proxy.
 */
export function clientAddressMiddleware(trusted: TrustedProxies) {
  return async (ctx: Context, next: Next) => {
    const peer = ctx.req.socket.remoteAddress;
    ctx.request.ip = clientAddress(peer, ctx.get('x-forwarded-for') || undefined, trusted);
    const proto = ctx.get('x-forwarded-proto').split(',')[0]!.trim().toLowerCase();
    if ((proto === 'https' || proto === 'http') && isTrusted(trusted, normalizeAddress(peer))) {
      Object.defineProperty(ctx.request, 'protocol', { value: proto, configurable: true });
    }
    await next();
  };
}
