// The host page's side: listen to the widget's DOM events and drive its attributes.
const log = document.getElementById('events');
const inline = document.getElementById('inline');

const summary = {
  'mbc-login': (d) => d.user.email ?? d.user.name ?? d.user.role.toLowerCase(),
  'mbc-logout': () => '',
  'mbc-message-sent': (d) => `“${d.message.text.slice(0, 40)}”`,
  'mbc-reply': (d) => `${d.message.status.toLowerCase()} · ${d.message.text.length} chars`,
  'mbc-error': (d) => `${d.code}: ${d.message}`,
};

for (const [type, describe] of Object.entries(summary)) {
  document.addEventListener(type, (event) => {
    log.querySelector('.empty')?.remove();
    const item = document.createElement('li');
    const time = new Date().toLocaleTimeString();
    const source = event.target.id || 'widget';
    item.innerHTML = '<time></time> <code></code> <span></span>';
    item.querySelector('time').textContent = time;
    item.querySelector('code').textContent = type;
    item.querySelector('span').textContent = `${describe(event.detail)} (${source})`;
    item.dataset.event = type;
    log.prepend(item);
    while (log.children.length > 8) log.lastElementChild.remove();
  });
}

for (const name of ['theme', 'lang']) {
  document.getElementById(name).addEventListener('change', (event) => inline.setAttribute(name, event.target.value));
}
