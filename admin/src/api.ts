// The console's GraphQL client: one POST per operation to the API it was served by, with the
// admin's access token; an expired token is refreshed once, transparently. Tokens live in
// sessionStorage: a closed tab ends the console's sign-in.
const STORAGE_KEY = 'mbc-admin-tokens';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class AdminApi {
  private tokens: Tokens | null = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');

  constructor(private readonly endpoint = '/graphql') {}

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  async signIn(email: string, password: string): Promise<void> {
    const { login } = await this.request<{ login: Tokens }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }',
      { e: email, p: password },
      false,
    );
    this.store(login);
  }

  signOut(): void {
    const refreshToken = this.tokens?.refreshToken;
    this.store(null);
    if (refreshToken) void this.request('mutation($r: String!) { logout(refreshToken: $r) }', { r: refreshToken }, false).catch(() => undefined);
  }

  /** Runs an operation as the admin; UNAUTHENTICATED after a failed refresh signs the console out. */
  async run<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    try {
      return await this.request<T>(query, variables, true);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || !this.tokens) throw error;
      try {
        const { refreshToken } = await this.request<{ refreshToken: Tokens }>(
          'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken } }',
          { r: this.tokens.refreshToken },
          false,
        );
        this.store(refreshToken);
      } catch {
        this.store(null);
        throw error;
      }
      return this.request<T>(query, variables, true);
    }
  }

  private store(tokens: Tokens | null): void {
    this.tokens = tokens;
    if (tokens) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else sessionStorage.removeItem(STORAGE_KEY);
  }

  private async request<T>(query: string, variables: Record<string, unknown>, authorized: boolean): Promise<T> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorized && this.tokens ? { authorization: `Bearer ${this.tokens.accessToken}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }> };
    const error = body.errors?.[0];
    if (error) throw new ApiError(error.message, error.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error.extensions?.field);
    if (!body.data) throw new ApiError(`The API answered ${response.status}.`, 'NETWORK');
    return body.data;
  }
}
