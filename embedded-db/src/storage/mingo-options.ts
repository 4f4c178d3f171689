/**
 * Options for every mingo call. Scripts are off: `$where`, `$function` and `$accumulator` would
 * run client-supplied JavaScript in this process (mingo compiles them), so they fail instead.
 */
export const mingoOptions = { scriptEnabled: false } as const;
