// `@multi-bot-chat/widget/react`: <multi-bot-chat> as a React component. @lit/react sets the
// element's properties (not attributes) from props and maps its events to `onMbc*` props, typed
// with the same event map as addEventListener. Importing this file defines the element.
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { MultiBotChat as MultiBotChatElement, type MultiBotChatEventMap } from './multi-bot-chat.js';

export type { MbcErrorDetail, MultiBotChatEventMap } from './multi-bot-chat.js';

type MbcEvent<K extends keyof MultiBotChatEventMap> = EventName<MultiBotChatEventMap[K]>;

/** `<MultiBotChat api="…" bot="support" onMbcReply={(event) => event.detail.message} />` */
export const MultiBotChat = createComponent({
  tagName: 'multi-bot-chat',
  elementClass: MultiBotChatElement,
  react: React,
  displayName: 'MultiBotChat',
  events: {
    onMbcLogin: 'mbc-login' as MbcEvent<'mbc-login'>,
    onMbcLogout: 'mbc-logout' as MbcEvent<'mbc-logout'>,
    onMbcMessageSent: 'mbc-message-sent' as MbcEvent<'mbc-message-sent'>,
    onMbcReply: 'mbc-reply' as MbcEvent<'mbc-reply'>,
    onMbcError: 'mbc-error' as MbcEvent<'mbc-error'>,
  },
});
