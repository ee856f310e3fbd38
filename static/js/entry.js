// The entry grid and the milestone updates: leaving the page with unsaved typing asks first.
// (Enter in a figure does not send the grid: the form's first submit button is a disabled
// one, so the browser has nothing to press. That works without this script.)
(function () {
  document.querySelectorAll('form[data-entry-form]').forEach(function (form) {
    var dirty = false
    form.addEventListener('input', function () { dirty = true })
    form.addEventListener('change', function () { dirty = true })
    form.addEventListener('submit', function () { dirty = false })
    window.addEventListener('beforeunload', function (event) {
      if (dirty) {
        event.preventDefault()
        event.returnValue = ''
      }
    })
  })
})()
