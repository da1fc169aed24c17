// Deleting one's account: a separate entry (`accountApi(chat)`), so that pages without it leave it out.
import { authStateOf, type CoreClient } from './client';
import { DeleteAccountMutation } from './occasional-documents';

export interface AccountApi {
  /**
   * Deletes the signed-in account and everything of it, and signs out (reason `deleted`): every
   * token of it stops working at once. `confirmation` is the password, or, for guests and
   * host-site users (who have none), the phrase "delete my account".
   * @throws {@link ValidationError} (`field: 'confirmation'`) when the confirmation is wrong.
   */
  delete(confirmation: string): Promise<void>;
}

export function accountApi(client: CoreClient): AccountApi {
  const auth = authStateOf(client);
  return {
    async delete(confirmation) {
      await auth.request(DeleteAccountMutation, { confirmation });
      await auth.signOut('deleted');
    },
  };
}
