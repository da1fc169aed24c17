// `npm run analyze`: writes custom-elements.json (committed) from the JSDoc of src/.
export default {
  // The public element only: its parts and helpers are internal.
  globs: ['src/multi-bot-chat.ts'],
  outdir: '.',
  litelement: true,
};
