declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, or '' when NO_PROXY exempts it. */
  export function getProxyForUrl(url: string): string
}
