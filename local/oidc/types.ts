/** A person who can sign in at the local OpenID Provider (shaped like an Entra ID user). */
export interface LocalOidcUser {
  /** Entra object id (a GUID): the `oid` claim, stable across applications. */
  oid: string;
  email: string;
  /** The UPN: the `preferred_username` claim. */
  preferredUsername: string;
  name: string;
  password: string;
  /** When true the ID token's `amr` is `["pwd", "mfa"]`, else `["pwd"]`. */
  mfa?: boolean;
}

/** An app registration: a confidential web client using the authorization code flow with PKCE. */
export interface LocalOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface LocalOidcOptions {
  /** 0 or absent: a free port on 127.0.0.1. */
  port?: number;
  /**
   * The tenant id in the issuer and endpoint paths and the `tid` claim; a random GUID by default. Entra's
   * issuer and `tid` always carry the tenant's GUID (not its domain name), so pass a GUID.
   */
  tenant?: string;
  clients: LocalOidcClient[];
  users: LocalOidcUser[];
  /** Lifetime of the ID tokens it issues; default 3600 (Entra's is about an hour). */
  idTokenTtlSeconds?: number;
}

export interface LocalOidc {
  /** `http://127.0.0.1:<port>/<tenant>/v2.0`, as Entra's `https://login.microsoftonline.com/<tenant>/v2.0`. */
  issuer: string;
  tenant: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Set when it runs as a child process (see process.ts). */
  pid?: number;
  /** Registers one more redirect URI for a client (for a review site whose port is known only after it starts). */
  addRedirectUri?(clientId: string, uri: string): void;
  stop(): Promise<void>;
}
