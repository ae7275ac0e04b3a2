// The story editor's small helpers: a formatting toolbar for the body
// syntax, live word count and reading time, autosave every few seconds,
// a warning before leaving with unsaved changes, and a picker for related
// stories. Everything here is optional: the editor works without it.
(function () {
  'use strict';
  var form = document.getElementById('editor');
  if (!form) return;
  var body = form.querySelector('#f-body');
  var status = document.getElementById('ed-status');
  var words = document.getElementById('wordcount');
  var minutes = document.getElementById('readtime');
  var dirty = false;        // changed since the last real save
  var changedAt = 0;        // last edit
  var autosavedAt = 0;      // last edit that autosave has sent
  var inFlight = false;
  var leaving = false;

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.className = 'ed-status' + (isError ? ' ed-status-error' : '');
  }

  // Live counts, close to the server's (which corrects them on autosave).
  var wordRe = /[\p{L}\p{N}\p{M}]+(?:['’.\-][\p{L}\p{N}\p{M}]+)*/gu;
  function count() {
    if (!body || !words) return;
    var text = body.value
      .replace(/^\s*(#{2,3}|>|[-*]|\d+\.)\s+/gm, ' ')
      .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
      .replace(/\[\[related:\d+\]\]/g, ' ')
      .replace(/\]\([^)]*\)/g, ' ')
      .replace(/^\s*https?:\/\/\S+\s*$/gm, ' ')
      .replace(/^-{3,}\s*$/gm, ' ');
    var n = (text.match(wordRe) || []).length;
    words.textContent = n;
    minutes.textContent = Math.max(1, Math.ceil(n / 230));
  }

  function changed() {
    dirty = true;
    changedAt = Date.now();
  }
  form.addEventListener('input', function (e) {
    changed();
    if (e.target === body) count();
  });
  form.addEventListener('change', changed);
  form.addEventListener('submit', function (e) {
    var b = e.submitter;
    if (b && b.hasAttribute('data-preview')) return; // opens a new tab
    leaving = true;
  });
  window.addEventListener('beforeunload', function (e) {
    if (dirty && !leaving) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  // Autosave: every five seconds, when something changed.
  function formData() {
    var fd = new FormData(form);
    fd.delete('lead_file');
    fd.delete('action');
    return fd;
  }
  function previewButton() { return form.querySelector('[data-preview]'); }

  function autosave() {
    if (inFlight || changedAt <= autosavedAt) return;
    var url = form.getAttribute('data-autosave') || form.getAttribute('data-create');
    if (!url) return;
    var creating = !form.getAttribute('data-autosave');
    var sent = changedAt;
    inFlight = true;
    fetch(url, { method: 'POST', body: formData(), credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (res) {
        if (res.status === 401) {
          say('Signed out — sign in again; your text is saved. Keep this page open, sign in in another tab, then save here.', true);
          showSignIn();
          return null;
        }
        if (!res.ok) {
          return res.json().catch(function () { return {}; }).then(function (j) {
            say('Autosave failed' + (j && j.message ? ': ' + j.message : '') + '. Save by hand to be safe.', true);
            return null;
          });
        }
        return res.json();
      })
      .then(function (j) {
        if (!j) return;
        if (creating) {
          if (!j.ok) { say(j.message || 'Not saved yet.'); return; }
          form.action = j.url;
          form.setAttribute('data-autosave', j.url + '/autosave');
          form.removeAttribute('data-create');
          var pb = previewButton();
          if (pb) pb.setAttribute('formaction', j.url + '/preview');
          history.replaceState(null, '', j.url);
          setVersion(j.version);
          autosavedAt = sent;
          if (changedAt <= sent) dirty = false;
          say('Draft created and saved at ' + new Date().toLocaleTimeString() + '.');
          return;
        }
        autosavedAt = sent;
        setVersion(j.version);
        if (typeof j.words === 'number' && words) {
          words.textContent = j.words;
          minutes.textContent = j.minutes;
        }
        if (j.saved_draft && changedAt <= sent) dirty = false;
        say((j.saved_draft ? 'Draft saved' : 'Autosaved') + ' at ' + j.at + '.');
        hideSignIn();
      })
      .catch(function () {
        say('Autosave could not reach the server; your text is still here. Save by hand when you are back online.', true);
      })
      .finally(function () { inFlight = false; });
  }
  function setVersion(v) {
    var input = form.querySelector('input[name=version]');
    if (input && v) input.value = v;
  }
  var signIn = null;
  function showSignIn() {
    if (signIn || !status) return;
    signIn = document.createElement('a');
    signIn.href = '/newsroom/login?next=' + encodeURIComponent(location.pathname);
    signIn.target = '_blank';
    signIn.rel = 'opener';
    signIn.textContent = 'Sign in again (opens a new tab)';
    signIn.className = 'button secondary';
    status.after(signIn);
  }
  function hideSignIn() {
    if (signIn) { signIn.remove(); signIn = null; }
  }
  setInterval(autosave, 5000);

  // Toolbar: each button wraps the selection or starts a line.
  var toolbar = form.querySelector('.toolbar');
  if (toolbar && body) {
    toolbar.hidden = false;
    toolbar.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-md]');
      if (!b) return;
      format(b.getAttribute('data-md'));
    });
  }
  function selection() {
    return { start: body.selectionStart, end: body.selectionEnd, text: body.value.slice(body.selectionStart, body.selectionEnd) };
  }
  function replace(sel, text, selectFrom, selectTo) {
    body.focus();
    body.setRangeText(text, sel.start, sel.end, 'end');
    if (selectFrom !== undefined) body.setSelectionRange(sel.start + selectFrom, sel.start + selectTo);
    changed();
    count();
  }
  function wrap(mark, placeholder) {
    var sel = selection();
    var t = sel.text || placeholder;
    replace(sel, mark + t + mark, mark.length, mark.length + t.length);
  }
  function linePrefix(prefix) {
    var v = body.value;
    var start = v.lastIndexOf('\n', body.selectionStart - 1) + 1;
    var end = v.indexOf('\n', body.selectionEnd);
    if (end < 0) end = v.length;
    var lines = v.slice(start, end).split('\n').map(function (l, i) {
      return (typeof prefix === 'function' ? prefix(i) : prefix) + l;
    });
    replace({ start: start, end: end }, lines.join('\n'));
  }
  function ownLine(text) {
    var sel = selection();
    var v = body.value;
    var before = sel.start > 0 && v[sel.start - 1] !== '\n' ? '\n\n' : '';
    var after = v[sel.end] !== '\n' ? '\n\n' : '';
    replace(sel, before + text + after);
  }
  function format(kind) {
    switch (kind) {
      case 'bold': wrap('**', 'bold text'); break;
      case 'italic': wrap('*', 'italic text'); break;
      case 'link': {
        var url = window.prompt('Link address (https://…)', 'https://');
        if (!url) return;
        var sel = selection();
        var t = sel.text || 'link text';
        replace(sel, '[' + t + '](' + url + ')', 1, 1 + t.length);
        break;
      }
      case 'heading': linePrefix('## '); break;
      case 'quote': linePrefix('> '); break;
      case 'list': linePrefix('- '); break;
      case 'image': {
        var id = window.prompt('Picture number from the media library');
        if (!id || !/^\d+$/.test(id.trim())) return;
        ownLine('![describe the picture](media:' + id.trim() + ' "caption | credit")');
        break;
      }
      case 'related':
        pickerMode = 'body';
        if (picker) { picker.hidden = false; pickerQ.focus(); }
        say('Find the story below; choosing it inserts a related link in the body.');
        break;
    }
  }

  // Related-story picker: searches published stories by headline.
  var picker = document.getElementById('related-picker');
  var pickerQ = document.getElementById('related-q');
  var results = document.getElementById('related-results');
  var related = form.querySelector('#f-related');
  var pickerMode = 'field';
  var timer = 0;
  if (picker && pickerQ && results) {
    picker.hidden = false;
    pickerQ.addEventListener('focus', function () { if (pickerMode !== 'body') pickerMode = 'field'; });
    pickerQ.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    pickerQ.addEventListener('keydown', function (e) { if (e.key === 'Enter') e.preventDefault(); });
    results.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-id]');
      if (!b) return;
      var id = b.getAttribute('data-id');
      if (pickerMode === 'body') {
        ownLine('[[related:' + id + ']]');
        pickerMode = 'field';
        say('Related link inserted in the body.');
      } else {
        var ids = related.value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
        if (ids.indexOf(id) < 0) ids.push(id);
        related.value = ids.join(', ');
        changed();
        say('Related story ' + id + ' added.');
      }
    });
  }
  function search() {
    var q = pickerQ.value.trim();
    if (!q) { results.textContent = ''; return; }
    fetch('/newsroom/stories/search?q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (hits) {
        results.textContent = '';
        if (!hits.length) {
          var li = document.createElement('li');
          li.textContent = 'No published story has that in its headline.';
          results.appendChild(li);
          return;
        }
        hits.forEach(function (h) {
          var li = document.createElement('li');
          var b = document.createElement('button');
          b.type = 'button';
          b.className = 'link';
          b.setAttribute('data-id', String(h.id));
          b.textContent = h.headline + ' (' + h.section + ', #' + h.id + ')';
          li.appendChild(b);
          results.appendChild(li);
        });
      })
      .catch(function () { results.textContent = ''; });
  }
  count();
})();
