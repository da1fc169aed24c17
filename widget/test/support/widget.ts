// Steps a visitor takes in the widget, as Playwright locators (they pierce shadow roots).
import { describe } from 'vitest';
import type { Locator } from 'playwright-core';
import { CHROMIUM_PATH, chromiumAvailable } from './stack.ts';
import { gqlOk } from '../../../api/test/support/graphql-client.ts';
import { requireService } from '../../../api/test/support/services.ts';

/**
 * A describe() that needs Chromium. Without it the suite is skipped with a loud warning (or the
 * run fails, under REQUIRE_SERVICES=1 as in CI).
 */
export function browserSuite(name: string, body: () => void) {
  if (requireService(`Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`, chromiumAvailable(), name)) {
    return describe(name, body);
  }
  return describe.skip(`${name} — SKIPPED: no Chromium at ${CHROMIUM_PATH}`, body);
}

let users = 0;
export const newEmail = () => `visitor${Date.now()}${users++}@example.com`;
export const PASSWORD = 'correct horse battery';

export async function signUp(widget: Locator, email = newEmail(), password = PASSWORD) {
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill(password);
  await widget.getByRole('button', { name: 'Create account' }).click();
  // Ready to chat once a bot is chosen (the bot list arrives just after signing in).
  await widget.locator('[part="header"] h2').waitFor();
  return email;
}

export const composer = (widget: Locator) => widget.getByRole('textbox', { name: /^Message / });

export async function send(widget: Locator, text: string) {
  await composer(widget).fill(text);
  await composer(widget).press('Enter');
}

export const botMessages = (widget: Locator) => widget.locator('.msg.bot');
/** The text bubbles of the user's messages. */
export const userMessages = (widget: Locator) => widget.locator('.msg.user .bubble');

/** Waits for the newest bot reply to finish; resolves with its text. */
export async function lastReply(widget: Locator, timeout = 20_000): Promise<string> {
  const last = botMessages(widget).last();
  await last.and(widget.locator('.msg.bot:not(.streaming)')).waitFor({ timeout });
  return (await last.locator('.bubble').innerText()).trim();
}

/** Signs in over plain GraphQL (no widget) to check what the server really stored. */
export async function apiToken(graphqlUrl: string, email: string, password = PASSWORD): Promise<string> {
  const data = await gqlOk(graphqlUrl, 'mutation($e:String!,$p:String!){login(email:$e,password:$p){accessToken}}', { e: email, p: password });
  return data.login.accessToken;
}

export interface StoredSession {
  title: string;
  bot: string;
  messages: Array<{ role: string; text: string; status: string; clientMessageId: string | null }>;
}

/** The user's chats as the server has them, newest first, each with its messages. */
export async function storedMessages(graphqlUrl: string, token: string): Promise<StoredSession[]> {
  const list = await gqlOk(graphqlUrl, '{ sessions(first: 20) { edges { node { id title bot { slug } } } } }', {}, token);
  return Promise.all(
    list.sessions.edges.map(async ({ node }: any) => {
      const data = await gqlOk(
        graphqlUrl,
        'query($id: ID!) { session(id: $id) { messages(last: 50) { edges { node { role text status clientMessageId } } } } }',
        { id: node.id },
        token,
      );
      return {
        title: node.title as string,
        bot: node.bot.slug as string,
        messages: data.session.messages.edges.map((e: any) => e.node),
      };
    }),
  );
}
