// Progressive enhancement for the editors' pages; every page works without it.
// Warns before leaving a statement or topic form with unsaved changes (sending the form is fine).
(function () {
  'use strict';
  var dirty = false;
  document.addEventListener('input', function (event) {
    var form = event.target && event.target.form;
    if (form && form.hasAttribute('data-warn-unsaved')) dirty = true;
  });
  document.addEventListener('submit', function () {
    dirty = false;
  });
  window.addEventListener('beforeunload', function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = '';
  });
})();
