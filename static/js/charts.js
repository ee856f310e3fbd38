// Draws every Plotly figure on the page from the JSON that the server rendered with it.
// In the printed pack the charts are static pictures: no mode bar, no resizing.
(function () {
  function draw () {
    var printed = document.body.classList.contains('pack')
    var config = printed
      ? { staticPlot: true, responsive: false }
      : {
          displaylogo: false,
          responsive: true,
          // No upload to Plotly's cloud: council networks are closed, and figures stay here.
          modeBarButtonsToRemove: ['select2d', 'lasso2d', 'sendChartToCloud', 'sendDataToCloud']
        }
    var drawing = []
    document.querySelectorAll('[data-chart]:not([data-drawn])').forEach(function (element) {
      var source = document.getElementById(element.dataset.chart)
      if (!source || !window.Plotly) { return }
      var figure = JSON.parse(source.textContent)
      drawing.push(window.Plotly.newPlot(element, figure.data, figure.layout, config)
        .then(function () {
          // The figure is named by its caption; the SVG's tick labels would only be noise
          // to a screen reader.
          element.querySelectorAll('svg').forEach(function (svg) {
            svg.setAttribute('aria-hidden', 'true')
          })
          element.setAttribute('data-drawn', 'true')
        }))
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
