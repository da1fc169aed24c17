// `@multi-bot-chat/widget/types`: the element's types and nothing that runs. For pages that load
// widget.js with a script tag (the API serves it) and want TypeScript to know the element: listed
// in tsconfig's "types" or imported with `import type`, it declares `HTMLElementTagNameMap
// ['multi-bot-chat']` and the `mbc-*` events on every element, document and window.
export type { MbcErrorDetail, MultiBotChat, MultiBotChatEventMap } from './multi-bot-chat.js';
export type { Bot, Message, User } from './controllers/api.js';
