// Draws every Plotly figure on the page from the JSON that the server rendered with it.
(function () {
  function draw () {
    document.querySelectorAll('[data-chart]').forEach(function (element) {
      var source = document.getElementById(element.dataset.chart)
      if (!source || !window.Plotly) { return }
      var figure = JSON.parse(JSON.parse(source.textContent))
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        displaylogo: false, responsive: true,
        modeBarButtonsToRemove: ['select2d', 'lasso2d']
      }).then(function () { element.setAttribute('data-drawn', 'true') })
    })
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw)
  } else {
    draw()
  }
})()
