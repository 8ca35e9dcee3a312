// Declarations for module paths that ship no types of their own.

declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, or '' when NO_PROXY exempts it. */
  export function getProxyForUrl(url: string): string
}

declare module 'node-forge/lib/asn1.js' {
  import type forge from 'node-forge'
  const asn1: typeof forge.asn1
  export default asn1
}

declare module 'node-forge/lib/util.js' {
  import type forge from 'node-forge'
  const util: typeof forge.util
  export default util
}
