/** Which SMS provider this process uses, for the admin's page (set once from the configuration by app.ts). */
let providerName = 'log';

export function configureSms(opts: { provider?: string }): void {
  providerName = opts.provider ?? 'log';
}

export function smsProviderName(): string {
  return providerName;
}
