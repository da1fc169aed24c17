// Taking data out: a chat as Markdown or JSON, or everything stored about the viewer.
import type { AuthState } from './auth';
import { authStateOf, type CoreClient } from './client';
import { ExportMyDataQuery, ExportSessionQuery } from './occasional-documents';
import type { ExportFile, ExportFormat } from './types';

/** Files to save (a browser saves one through a Blob and a download link): `exportsApi(chat)`. */
export interface ExportsApi {
  /** One of the viewer's chats, as Markdown or JSON. @throws {@link NotFoundError}. */
  session(sessionId: string, format: ExportFormat): Promise<ExportFile>;
  /** Everything stored about the viewer (account, bots, chats, memories, shares) as one JSON file: the GDPR right of access. */
  everything(): Promise<ExportFile>;
}

/** Exports with a client's sign-in; a separate entry so that pages without exports leave its code out. */
export function exportsApi(client: CoreClient): ExportsApi {
  return createExportsApi(authStateOf(client));
}

function createExportsApi(auth: AuthState): ExportsApi {
  return {
    async session(id, format) {
      return { ...(await auth.request(ExportSessionQuery, { id, format })).exportSession };
    },
    async everything() {
      return { ...(await auth.request(ExportMyDataQuery, {})).exportMyData };
    },
  };
}
