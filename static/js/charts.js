// Draws every Plotly figure on the page from the JSON that the server rendered with it.
// In the printed pack the charts are static pictures: no mode bar, no resizing.
(function () {
  function draw () {
    var printed = document.body.classList.contains('pack')
    var config = printed
      ? { staticPlot: true, responsive: false }
      : { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d'] }
    var drawing = []
    document.querySelectorAll('[data-chart]:not([data-drawn])').forEach(function (element) {
      var source = document.getElementById(element.dataset.chart)
      if (!source || !window.Plotly) { return }
      var figure = JSON.parse(JSON.parse(source.textContent))
      drawing.push(window.Plotly.newPlot(element, figure.data, figure.layout, config)
        .then(function () { element.setAttribute('data-drawn', 'true') }))
    })
    return Promise.all(drawing)
  }
  // The PDF renderer keeps one page warm and calls this after swapping in each pack.
  window.scorecardCharts = { draw: draw }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw)
  } else {
    draw()
  }
})()
