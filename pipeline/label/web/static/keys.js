// Keyboard labelling for chorus label: 1-5 press the valence buttons,
// letters tick the topics, arrows step back and skip, ? opens the guide.
// Each key acts on the element that carries it in data-key, so the page
// works the same without this script, by mouse.
document.addEventListener('keydown', function (e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && t.type === 'text'))) return;
  var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  var el = document.querySelector('[data-key="' + CSS.escape(key) + '"]');
  if (!el) return;
  e.preventDefault();
  el.click();
});
