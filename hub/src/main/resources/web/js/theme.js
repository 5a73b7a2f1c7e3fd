// Light or dark. A classic (non-module) script loaded in <head> so the stored choice applies
// before the first paint: no white flash for someone who picked dark. Without a stored
// choice the page follows the system (prefers-color-scheme, handled in CSS).
(function () {
  'use strict';
  var KEY = 'servmon.theme';
  var root = document.documentElement;

  function stored() {
    try {
      var v = window.localStorage.getItem(KEY);
      return v === 'light' || v === 'dark' ? v : null;
    } catch (e) {
      return null; // storage disabled: follow the system
    }
  }

  function effective() {
    var v = stored();
    if (v) return v;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  function label(button) {
    var next = effective() === 'dark' ? 'light' : 'dark';
    button.setAttribute('aria-label', 'Switch to ' + next + ' theme');
    button.setAttribute('title', 'Switch to ' + next + ' theme');
  }

  var initial = stored();
  if (initial) root.setAttribute('data-theme', initial);

  document.addEventListener('DOMContentLoaded', function () {
    var buttons = document.querySelectorAll('[data-theme-toggle]');
    Array.prototype.forEach.call(buttons, function (button) {
      label(button);
      button.addEventListener('click', function () {
        var next = effective() === 'dark' ? 'light' : 'dark';
        root.setAttribute('data-theme', next);
        try {
          window.localStorage.setItem(KEY, next);
        } catch (e) {
          // not persisted; the choice still holds for this page
        }
        Array.prototype.forEach.call(buttons, label);
        // Canvas charts cannot follow CSS colours by themselves: tell them.
        document.dispatchEvent(new CustomEvent('servmon:theme', { detail: { theme: next } }));
      });
    });
  });
})();
