/* Switchboard web chat widget. Plain ES2019, no dependencies, served as-is.
 * Embed: <script src="https://crm.example.com/webchat/widget.js" data-inbox="website" async></script>
 * Signed-in users (identity verification): add data-user-id and data-user-hash (and optionally
 * data-user-name, data-user-email), or call SwitchboardWidget.identify({ userId, userHash, name, email });
 * SwitchboardWidget.reset() on logout.
 * Protocol: channels/webchat/PROTOCOL.md */
(() => {
  'use strict';
  if (window.SwitchboardWidget) return;

  const SCRIPT_PATH = '/webchat/widget.js';
  const script = document.currentScript || findOwnScript();
  const inboxId = script && script.getAttribute('data-inbox');
  if (!script || !inboxId) {
    console.error('[switchboard] widget.js needs a data-inbox attribute on its <script> tag');
    return;
  }
  const srcUrl = new URL(script.src, location.href);
  // The server may be mounted under a sub-path, so keep whatever precedes /webchat/widget.js.
  const basePath = srcUrl.pathname.slice(0, srcUrl.pathname.lastIndexOf(SCRIPT_PATH));
  const wsUrl = `${srcUrl.protocol === 'https:' ? 'wss:' : 'ws:'}//${srcUrl.host}${basePath}/webchat/ws`;

  const KEY = `switchboard:${inboxId}:`;
  const local = safeStorage('localStorage');
  const session = safeStorage('sessionStorage');
  const HEARTBEAT_MS = 25000;
  const DEFAULT_MAX_TEXT = 4000;
  const maxText = () => (state.welcome && state.welcome.limits && state.welcome.limits.maxTextLength) || DEFAULT_MAX_TEXT;
  const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  const STATUS_TEXT = {
    connecting: 'Connecting…',
    offline: 'Offline — messages will be sent when you\'re back',
    connected: 'Connected',
    unavailable: 'Chat is unavailable right now',
    signin: 'Please sign in to chat with us',
  };

  const state = {
    ws: null, ready: false, attempt: 0, fatal: false, open: false, unread: 0,
    welcome: null, identified: false, identifyPending: false, needsSignIn: false,
    identity: identityFromScript(), // a signed-in site user, as the site's server signed them
    items: new Map(), // key (see keyOf) -> rendered message
    timers: { reconnect: 0, heartbeat: 0, pong: 0, notice: 0 },
    retryTimers: new Map(), // clientMessageId -> rate-limit retry timeout
  };
  let ui = null;

  // The site renders these for its signed-in user; the hash is checked by the server, not here.
  function identityFromScript() {
    const userId = script.getAttribute('data-user-id');
    const userHash = script.getAttribute('data-user-hash');
    if (!userId) return null;
    return cleanIdentity({ userId, userHash, name: script.getAttribute('data-user-name'), email: script.getAttribute('data-user-email') });
  }

  function cleanIdentity(input) {
    if (!input || typeof input.userId !== 'string' || !input.userId) return null;
    const identity = { userId: input.userId, userHash: typeof input.userHash === 'string' ? input.userHash : '' };
    if (typeof input.name === 'string' && input.name.trim()) identity.name = input.name.trim();
    if (typeof input.email === 'string' && input.email.trim()) identity.email = input.email.trim();
    return identity;
  }

  function findOwnScript() {
    return Array.from(document.scripts).find((s) => {
      try { return s.src && new URL(s.src).pathname.endsWith(SCRIPT_PATH); } catch { return false; }
    });
  }

  // Storage can throw (privacy modes, sandboxed iframes); fall back to memory so the chat still works.
  function safeStorage(name) {
    const memory = {};
    let backend = null;
    try { backend = window[name]; backend.getItem('switchboard:probe'); } catch { backend = null; }
    return {
      get(k) {
        try { if (backend) return backend.getItem(k); } catch { /* use memory */ }
        return k in memory ? memory[k] : null;
      },
      set(k, v) { memory[k] = v; try { if (backend) backend.setItem(k, v); } catch { /* memory only */ } },
      remove(k) { delete memory[k]; try { if (backend) backend.removeItem(k); } catch { /* memory only */ } },
    };
  }

  // The outbox is re-read from storage on every change because other tabs of the same site share it.
  // A signed-in user's unsent messages are kept apart, so they are never sent as someone else's.
  const outboxKey = () => KEY + (state.identity ? 'user:' + state.identity.userId + ':' : '') + 'outbox';
  const outbox = {
    all() {
      try { const list = JSON.parse(local.get(outboxKey()) || '[]'); return Array.isArray(list) ? list : []; } catch { return []; }
    },
    save(list) { if (list.length) local.set(outboxKey(), JSON.stringify(list)); else local.remove(outboxKey()); },
    find(cid) { return this.all().find((e) => e.clientMessageId === cid); },
    put(entry) { this.save(this.all().filter((e) => e.clientMessageId !== entry.clientMessageId).concat([entry])); },
    drop(cid) { this.save(this.all().filter((e) => e.clientMessageId !== cid)); },
  };

  function newClientMessageId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // ---------- connection ----------

  function connect() {
    if (state.fatal || state.ws) return;
    clearTimeout(state.timers.reconnect);
    let ws;
    try { ws = new WebSocket(wsUrl); } catch { scheduleReconnect(); return; }
    state.ws = ws;
    ws.onopen = () => { send(helloFrame()); state.timers.heartbeat = setInterval(() => ping(10000), HEARTBEAT_MS); };
    ws.onmessage = (event) => { clearTimeout(state.timers.pong); handleFrame(parseFrame(event.data)); };
    ws.onclose = () => { if (state.ws === ws) onDisconnect(); };
    updateStatus();
  }

  function onDisconnect() {
    state.ws = null;
    state.ready = false;
    clearInterval(state.timers.heartbeat);
    clearTimeout(state.timers.pong);
    scheduleReconnect();
  }

  // Drop a socket we no longer trust without waiting for a close handshake that may never come.
  function dropSocket() {
    const ws = state.ws;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try { ws.close(); } catch { /* already closed */ }
    onDisconnect();
  }

  function scheduleReconnect() {
    updateStatus();
    if (state.fatal) return;
    clearTimeout(state.timers.reconnect);
    const base = Math.min(10000, 500 * 2 ** Math.min(state.attempt++, 10));
    state.timers.reconnect = setTimeout(connect, base / 2 + Math.random() * (base / 2));
  }

  // Any frame counts as proof of life; silence until the deadline means the socket is dead.
  function ping(deadlineMs) {
    if (!send({ type: 'ping' })) return;
    clearTimeout(state.timers.pong);
    state.timers.pong = setTimeout(dropSocket, deadlineMs);
  }

  function send(frame) {
    if (!state.ws || state.ws.readyState !== WebSocket.OPEN) return false;
    state.ws.send(JSON.stringify(frame));
    return true;
  }

  // Fields are cut to the server's schema limits: one over-long URL must not make every hello fail.
  function helloFrame() {
    const frame = { type: 'hello', inboxId, page: { url: location.href.slice(0, 2048) } };
    if (navigator.language) frame.locale = navigator.language;
    if (document.referrer) frame.page.referrer = document.referrer.slice(0, 2048);
    if (document.title) frame.page.title = document.title.slice(0, 300);
    const token = local.get(KEY + 'token');
    if (token) frame.visitorToken = token;
    if (state.identity) frame.identity = state.identity;
    const params = new URLSearchParams(location.search);
    const utm = {};
    ['source', 'medium', 'campaign', 'term', 'content'].forEach((k) => { if (params.get('utm_' + k)) utm[k] = params.get('utm_' + k).slice(0, 200); });
    if (Object.keys(utm).length) frame.utm = utm;
    return frame;
  }

  function parseFrame(data) {
    try { return JSON.parse(data); } catch { return null; }
  }

  // ---------- frames ----------

  function handleFrame(frame) {
    if (!frame || typeof frame.type !== 'string') return;
    if (frame.type === 'welcome') onWelcome(frame);
    else if (frame.type === 'ack') onStored(Object.assign({ clientMessageId: frame.clientMessageId }, frame.message));
    else if (frame.type === 'message') onLiveMessage(frame.message);
    else if (frame.type === 'identified') onIdentified();
    else if (frame.type === 'error') onError(frame);
  }

  function onWelcome(frame) {
    local.set(KEY + 'token', frame.visitorToken);
    Object.assign(state, { ready: true, attempt: 0, welcome: frame, identified: !!frame.identified, identifyPending: false, needsSignIn: false });
    state.items = new Map();
    (frame.messages || []).forEach(storeItem);
    // Everything not yet acknowledged lives in the outbox; the server de-duplicates by clientMessageId.
    outbox.all().forEach((entry) => {
      showPending(entry);
      if (!entry.failed) transmit(entry);
    });
    renderPrechat();
    renderMessages(true);
    updateStatus();
  }

  function onStored(message) {
    storeItem(message);
    renderMessages(false);
  }

  function onLiveMessage(message) {
    if (!message) return;
    const isNew = !state.items.has(keyOf(message));
    onStored(message);
    if (isNew && !state.open && message.direction === 'outbound') {
      state.unread += 1;
      renderUnread();
    }
  }

  function onIdentified() {
    state.identified = true;
    state.identifyPending = false;
    renderPrechat();
  }

  function onError(frame) {
    const cid = frame.clientMessageId;
    if (cid && frame.code === 'rate_limited') return retryLater(cid, frame.retryAfterMs);
    if (cid) return setFailed(cid, frame.message || 'Could not send');
    if (frame.code === 'unknown_inbox' || frame.code === 'origin_not_allowed') {
      state.fatal = true;
      console.error('[switchboard] ' + frame.message);
      dropSocket();
      return;
    }
    if (frame.code === 'identity_required') {
      // Only a signed-in user may chat here: wait for the site to call identify().
      Object.assign(state, { fatal: true, needsSignIn: true });
      dropSocket();
      return;
    }
    if (!state.ready) {
      // The hello failed. Its other fields are always valid, so a rejected frame means a bad stored token
      // (a new session starts without it) or an identity the server would not accept (chat on anonymously).
      if (frame.code === 'invalid_visitor_token' || frame.code === 'invalid_frame') local.remove(KEY + 'token');
      if (frame.code === 'identity_not_verified') {
        console.error('[switchboard] ' + frame.message + ' (check how your server computes data-user-hash)');
        state.identity = null;
      }
      dropSocket(); // start over, with backoff
      return;
    }
    if (state.identifyPending) {
      state.identifyPending = false;
      renderPrechat(frame.message || 'Could not save your details');
    } else {
      showNotice(frame.message || 'Something went wrong');
    }
  }

  // ---------- messages ----------

  // Visitor messages are keyed by clientMessageId so the optimistic item and the stored one coincide.
  function keyOf(m) { return m.clientMessageId ? 'c:' + m.clientMessageId : 'i:' + m.id; }

  function storeItem(message) {
    const key = keyOf(message);
    state.items.forEach((item, k) => { if (k !== key && item.id === message.id) state.items.delete(k); });
    state.items.set(key, Object.assign({}, message, { state: 'sent' }));
    if (message.clientMessageId) {
      outbox.drop(message.clientMessageId);
      clearTimeout(state.retryTimers.get(message.clientMessageId));
    }
  }

  function showPending(entry) {
    const key = 'c:' + entry.clientMessageId;
    const existing = state.items.get(key);
    if (existing && existing.state === 'sent') return;
    state.items.set(key, {
      clientMessageId: entry.clientMessageId, direction: 'inbound', authorKind: 'contact', text: entry.text,
      createdAt: entry.createdAt, state: entry.failed ? 'failed' : 'sending', error: entry.failed,
    });
  }

  function transmit(entry) {
    if (state.ready) send({ type: 'message', clientMessageId: entry.clientMessageId, text: entry.text });
  }

  function sendText(raw) {
    const text = raw.trim();
    if (!text) return false;
    if (text.length > maxText()) { showNotice(`Messages can be at most ${maxText()} characters.`); return false; }
    const entry = { clientMessageId: newClientMessageId(), text, createdAt: new Date().toISOString() };
    outbox.put(entry);
    showPending(entry);
    renderMessages(true);
    transmit(entry);
    return true;
  }

  function retryLater(cid, retryAfterMs) {
    clearTimeout(state.retryTimers.get(cid));
    state.retryTimers.set(cid, setTimeout(() => {
      const entry = outbox.find(cid);
      if (entry && !entry.failed) transmit(entry);
    }, Math.max(250, Number(retryAfterMs) || 1000)));
  }

  // error: why the message failed (shown with a Retry button), or null to queue it again.
  function setFailed(cid, error) {
    const entry = outbox.find(cid);
    if (!entry) return;
    if (error) entry.failed = error; else delete entry.failed;
    outbox.put(entry);
    showPending(entry);
    renderMessages(false);
    if (!error) transmit(entry);
  }

  // Stored messages in server order; unsent ones stay at the bottom in the order they were written.
  function sortedItems() {
    const rank = (item) => (item.state === 'sent' ? 0 : 1);
    return Array.from(state.items.values()).sort((a, b) =>
      rank(a) - rank(b) || (Date.parse(a.createdAt) || 0) - (Date.parse(b.createdAt) || 0));
  }

  // ---------- DOM ----------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((name) => {
      const value = attrs[name];
      if (value == null || value === false) return;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    node.append(...children.filter((c) => c != null)); // strings become text nodes, never markup
    return node;
  }

  function chatIcon() {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    const path = svg.appendChild(document.createElementNS(ns, 'path'));
    svg.setAttribute('viewBox', '0 0 24 24');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z');
    return svg;
  }

  function buildUi() {
    const host = el('div', { id: 'switchboard-widget' });
    const shadow = host.attachShadow({ mode: 'open' });
    const u = {};
    u.unread = el('span', { class: 'unread', 'data-testid': 'sb-unread', hidden: true });
    u.launcher = el('button', { class: 'launcher', type: 'button', 'data-testid': 'sb-launcher', 'aria-label': 'Open chat', 'aria-expanded': 'false', onclick: () => setOpen(!state.open) }, chatIcon(), u.unread);
    u.status = el('div', { class: 'status', 'data-testid': 'sb-status', role: 'status' });
    u.messages = el('ol', { class: 'messages', 'data-testid': 'sb-messages', role: 'log', 'aria-live': 'polite' });
    u.notice = el('div', { class: 'notice', 'data-testid': 'sb-notice', hidden: true });
    u.prechat = buildPrechat(u);
    u.input = el('textarea', { rows: 1, placeholder: 'Write a message…', 'aria-label': 'Message', 'data-testid': 'sb-input', onkeydown: onInputKey, oninput: autoGrow });
    u.send = el('button', { class: 'send', type: 'submit', 'data-testid': 'sb-send' }, 'Send');
    const composer = el('form', { class: 'composer', onsubmit: onComposerSubmit }, u.input, u.send);
    const header = el('header', null,
      el('div', { class: 'title' }, 'Chat with us'),
      el('button', { class: 'close', type: 'button', 'aria-label': 'Close chat', onclick: close }, '×'));
    u.panel = el('section', { class: 'panel', 'data-testid': 'sb-panel', role: 'dialog', 'aria-label': 'Chat', hidden: true, onkeydown: (e) => { if (e.key === 'Escape') close(); } },
      header, u.status, u.messages, u.notice, u.prechat, composer);
    u.root = el('div', { class: 'root' }, u.panel, u.launcher);
    shadow.append(el('style', null, CSS), u.root);
    document.body.append(host);
    return u;
  }

  function buildPrechat(u) {
    u.prechatName = el('input', { type: 'text', maxlength: 120, placeholder: 'Your name', autocomplete: 'name', 'aria-label': 'Name', 'data-testid': 'sb-prechat-name' });
    u.prechatEmail = el('input', { type: 'email', placeholder: 'Email', autocomplete: 'email', 'aria-label': 'Email', 'data-testid': 'sb-prechat-email' });
    u.prechatError = el('div', { class: 'form-error', 'data-testid': 'sb-prechat-error', role: 'alert', hidden: true });
    u.prechatSubmit = el('button', { class: 'send', type: 'submit', 'data-testid': 'sb-prechat-submit' }, 'Start chat');
    u.prechatSkip = el('button', { class: 'link', type: 'button', 'data-testid': 'sb-prechat-skip', onclick: skipPrechat }, 'Skip');
    return el('form', { class: 'prechat', 'data-testid': 'sb-prechat', novalidate: true, hidden: true, onsubmit: onPrechatSubmit },
      el('div', { class: 'prechat-intro' }, 'Tell us who you are so we can get back to you.'),
      u.prechatName, u.prechatEmail, u.prechatError,
      el('div', { class: 'row' }, u.prechatSkip, u.prechatSubmit));
  }

  function renderMessages(forceScroll) {
    const list = ui.messages;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.textContent = '';
    const greeting = state.welcome && state.welcome.greeting;
    if (greeting) list.append(el('li', { class: 'msg greeting', 'data-testid': 'sb-greeting' }, el('div', { class: 'bubble' }, greeting)));
    sortedItems().forEach((item) => list.append(renderItem(item)));
    if (forceScroll || nearBottom) list.scrollTop = list.scrollHeight;
  }

  function renderItem(item) {
    const li = el('li', {
      class: `msg ${item.authorKind === 'system' ? 'system' : ''}`, 'data-testid': 'sb-message',
      'data-direction': item.direction, 'data-state': item.state, 'data-id': item.id || '',
      'data-client-message-id': item.clientMessageId,
    }, el('div', { class: 'bubble' }, item.text));
    const meta = el('div', { class: 'meta' });
    if (item.direction === 'outbound' && item.authorName) meta.append(item.authorName + ' · ');
    if (item.state === 'sending') meta.append('sending…');
    else if (item.state === 'failed') {
      meta.append(el('span', { class: 'error' }, `Not sent: ${item.error}`), ' ',
        el('button', { class: 'link', type: 'button', 'data-testid': 'sb-retry', onclick: () => setFailed(item.clientMessageId, null) }, 'Retry'));
    } else meta.append(formatTime(item.createdAt));
    li.append(meta);
    return li;
  }

  function formatTime(iso) {
    const date = new Date(iso);
    return isNaN(date) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function prechatVisible() {
    const form = state.welcome && state.welcome.preChatForm;
    if (!form || !form.enabled || state.identified) return false;
    return !!form.required || local.get(KEY + 'prechat-skipped') !== '1';
  }

  function renderPrechat(error) {
    const form = state.welcome && state.welcome.preChatForm;
    const visible = prechatVisible();
    const blocking = visible && !!form.required; // a required form must be filled before chatting
    ui.prechat.hidden = !visible;
    ui.prechatSkip.hidden = blocking;
    ui.prechatSubmit.disabled = state.identifyPending;
    ui.prechatError.hidden = !error;
    ui.prechatError.textContent = error || '';
    ui.input.disabled = ui.send.disabled = blocking;
    ui.input.placeholder = blocking ? 'Please introduce yourself first' : 'Write a message…';
  }

  function renderUnread() {
    ui.unread.hidden = state.unread === 0;
    ui.unread.textContent = state.unread > 9 ? '9+' : String(state.unread);
  }

  function updateStatus() {
    if (!ui) return;
    let key = 'connecting';
    if (state.needsSignIn) key = 'signin';
    else if (state.fatal) key = 'unavailable';
    else if (navigator.onLine === false) key = 'offline';
    else if (state.ready) key = 'connected';
    ui.status.setAttribute('data-state', key);
    ui.status.textContent = STATUS_TEXT[key];
  }

  function showNotice(text) {
    ui.notice.textContent = text;
    ui.notice.hidden = false;
    clearTimeout(state.timers.notice);
    state.timers.notice = setTimeout(() => { ui.notice.hidden = true; }, 6000);
  }

  // ---------- user actions ----------

  function onInputKey(event) {
    // isComposing: Enter confirms an IME candidate (CJK input) and must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    onComposerSubmit(event);
  }

  function onComposerSubmit(event) {
    event.preventDefault();
    if (ui.input.disabled || !sendText(ui.input.value)) return;
    ui.input.value = '';
    autoGrow();
  }

  function autoGrow() {
    ui.input.style.height = 'auto';
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + 'px';
  }

  function onPrechatSubmit(event) {
    event.preventDefault();
    const name = ui.prechatName.value.trim();
    const email = ui.prechatEmail.value.trim();
    if (!name) return renderPrechat('Please enter your name.');
    if (!EMAIL_RE.test(email)) return renderPrechat('Please enter a valid email address, like name@example.com.');
    if (!state.ready || !send({ type: 'identify', name, email })) return renderPrechat('Not connected yet — please try again in a moment.');
    state.identifyPending = true;
    renderPrechat();
  }

  function skipPrechat() {
    local.set(KEY + 'prechat-skipped', '1');
    renderPrechat();
    ui.input.focus();
  }

  // Works before init too: init() reads the remembered state back (without stealing focus on page load).
  function setOpen(isOpen, focus = true) {
    state.open = isOpen;
    if (isOpen) session.set(KEY + 'open', '1'); else session.remove(KEY + 'open');
    if (!ui) return;
    ui.panel.hidden = !isOpen;
    ui.root.classList.toggle('open', isOpen);
    ui.launcher.setAttribute('aria-expanded', String(isOpen));
    ui.launcher.setAttribute('aria-label', isOpen ? 'Close chat' : 'Open chat');
    if (!isOpen) return;
    state.unread = 0;
    renderUnread();
    ui.messages.scrollTop = ui.messages.scrollHeight;
    if (focus) (ui.input.disabled ? ui.prechatName : ui.input).focus();
  }
  function open() { setOpen(true); }
  function close() { setOpen(false); }

  const CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.root { --accent: #2f5bea; --accent-soft: rgba(47, 91, 234, .25); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d2230; }
[hidden] { display: none !important; }
button { font: inherit; cursor: pointer; }
button:disabled { opacity: .55; cursor: default; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 58px; height: 58px; border: 0; border-radius: 50%; background: var(--accent); color: #fff; display: grid; place-items: center; box-shadow: 0 8px 24px rgba(20, 30, 60, .28); transition: transform .15s ease; }
.launcher:hover { transform: scale(1.06); }
.launcher:focus-visible, .send:focus-visible, .link:focus-visible, .close:focus-visible { outline: 3px solid var(--accent-soft); outline-offset: 2px; }
.launcher svg { width: 28px; height: 28px; }
.unread { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px; border-radius: 10px; background: #e5484d; color: #fff; font-size: 11px; font-weight: 700; line-height: 20px; text-align: center; }
.panel { position: fixed; right: 20px; bottom: 92px; z-index: 2147483000; width: 370px; height: min(600px, calc(100vh - 116px)); display: flex; flex-direction: column; background: #fff; border-radius: 16px; overflow: hidden; box-shadow: 0 16px 48px rgba(20, 30, 60, .24); }
header { display: flex; align-items: center; justify-content: space-between; padding: 14px 12px 14px 18px; background: var(--accent); color: #fff; }
.title { font-size: 16px; font-weight: 600; }
.close { width: 32px; height: 32px; border: 0; border-radius: 8px; background: transparent; color: #fff; font-size: 24px; line-height: 1; }
.close:hover { background: rgba(255, 255, 255, .15); }
.status { padding: 5px 18px; font-size: 12px; color: #5b6272; background: #f3f5f9; border-bottom: 1px solid #e8ebf1; }
.status::before { content: ""; display: inline-block; width: 7px; height: 7px; margin-right: 6px; border-radius: 50%; background: #f5a524; vertical-align: 1px; }
.status[data-state="connected"]::before { background: #2bb673; }
.status[data-state="offline"] { background: #fff6e6; color: #8a5300; }
.status[data-state="unavailable"]::before { background: #e5484d; }
.messages:empty::before { content: "Ask us anything — we usually reply within a few minutes."; margin: auto; max-width: 240px; text-align: center; color: #8b91a0; }
.messages { flex: 1; margin: 0; padding: 16px 14px; list-style: none; overflow-y: auto; display: flex; flex-direction: column; gap: 10px; background: #fafbfd; }
.msg { max-width: 82%; display: flex; flex-direction: column; align-items: flex-start; align-self: flex-start; }
.msg[data-direction="inbound"] { align-self: flex-end; align-items: flex-end; }
.bubble { padding: 9px 13px; border-radius: 16px 16px 16px 4px; background: #eceff5; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg[data-direction="inbound"] .bubble { border-radius: 16px 16px 4px 16px; background: var(--accent); color: #fff; }
.msg[data-state="sending"] .bubble { opacity: .65; }
.msg[data-state="failed"] .bubble { background: #fdecec; color: #8f1d1d; }
.msg.system { align-self: center; align-items: center; max-width: 92%; }
.msg.system .bubble { background: transparent; color: #6b7283; font-size: 12px; text-align: center; padding: 2px 8px; }
.meta { margin-top: 3px; padding: 0 4px; font-size: 11px; color: #8b91a0; }
.error { color: #b42318; }
.link { border: 0; padding: 0; background: none; color: var(--accent); text-decoration: underline; }
.notice { margin: 8px 14px 0; padding: 8px 10px; border-radius: 8px; font-size: 12px; background: #fff6e6; color: #8a5300; }
.prechat { display: grid; gap: 8px; padding: 12px 14px; border-top: 1px solid #e8ebf1; background: #fff; }
.prechat-intro { font-size: 13px; color: #4a5163; }
.form-error { font-size: 12px; color: #b42318; }
.row { display: flex; justify-content: flex-end; align-items: center; gap: 14px; }
input, textarea { width: 100%; font: inherit; color: inherit; padding: 9px 11px; border: 1px solid #d5d9e2; border-radius: 10px; background: #fff; }
input:focus, textarea:focus { outline: 3px solid var(--accent-soft); border-color: var(--accent); }
textarea { resize: none; min-height: 40px; max-height: 120px; }
textarea:disabled { background: #f3f5f9; }
.composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px; border-top: 1px solid #e8ebf1; background: #fff; }
.send { height: 40px; padding: 0 16px; border: 0; border-radius: 10px; background: var(--accent); color: #fff; font-weight: 600; }
@media (max-width: 480px) {
  .panel { inset: 0; width: auto; height: auto; border-radius: 0; }
  .root.open .launcher { display: none; }
  input, textarea { font-size: 16px; } /* below 16px iOS zooms the page on focus */
}`;

  function init() {
    ui = buildUi();
    outbox.all().forEach(showPending); // show unsent messages even before we are connected
    renderMessages(true);
    renderUnread();
    updateStatus();
    setOpen(state.open || session.get(KEY + 'open') === '1', false);
    window.addEventListener('online', () => {
      updateStatus();
      if (state.ws) ping(3000); // the old socket may have died silently while we were offline
      else { state.attempt = 0; connect(); }
    });
    window.addEventListener('offline', updateStatus);
    connect();
  }

  // Starts a fresh session as `identity` (or anonymous): what was shown belonged to someone else.
  function restart(identity) {
    state.identity = identity;
    Object.assign(state, { fatal: false, needsSignIn: false, attempt: 0, ready: false, welcome: null, identified: false });
    state.items = new Map();
    if (state.ws) dropSocket();
    if (!ui) return; // init() connects
    outbox.all().forEach(showPending);
    renderMessages(true);
    renderPrechat();
    connect();
  }

  // Call after the user signs in on a single-page site: { userId, userHash, name?, email? }.
  function identify(input) {
    const identity = cleanIdentity(input);
    if (!identity) { console.error('[switchboard] identify() needs { userId, userHash }'); return; }
    restart(identity);
  }

  // Call on logout: forgets the visitor token too, so the next person at this browser starts afresh.
  function reset() {
    local.remove(KEY + 'token');
    local.remove(KEY + 'prechat-skipped');
    restart(null);
  }

  window.SwitchboardWidget = { open, close, identify, reset };
  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init);
})();
