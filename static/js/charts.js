// Draws the Plotly figures that the server rendered as JSON beside each chart.
//
// The page must be readable before any chart: this script is loaded with `async` and loads
// plotly.js itself (the URL is in its data-plotly attribute) once the page is parsed and
// painted, so neither holds up the text and tables. A chart is drawn when it comes near the
// screen; one far down the page costs nothing until it is scrolled to. The printed pack has
// no screen to scroll: scorecard/pdf.py calls window.scorecardCharts.draw(), which draws every
// chart still undrawn and resolves when all are drawn (or rejects, so a pack never goes out
// with a chart missing).
//
// A chart that cannot be drawn keeps its caption, the chart's text alternative, and says so.
(function () {
  var script = document.currentScript
  var plotlyUrl = script && script.dataset.plotly
  var plotlyReady = null
  // Start drawing a chart this far before it scrolls into view, so it is there when it does.
  var MARGIN = '300px 0px'
  // Plotly's mode bar sits over the top 30 px of the chart: the plot starts below it, so the
  // toolbar never covers a figure or the target line.
  var MODE_BAR_ROOM = 36
  // Narrower than this, an event's label above its line (scorecard/charts.py add_events) would
  // not fit: its letter is shown instead, and the legend below names it in full.
  var NARROW_FOR_EVENT_LABELS = 640

  function loadPlotly () {
    if (plotlyReady) { return plotlyReady }
    plotlyReady = new Promise(function (resolve, reject) {
      if (window.Plotly) { resolve(window.Plotly); return }
      if (!plotlyUrl) { reject(new Error('no plotly.js URL on the charts script')); return }
      var tag = document.createElement('script')
      tag.src = plotlyUrl
      tag.async = true
      tag.onload = function () {
        if (window.Plotly) { resolve(window.Plotly) } else { reject(new Error('plotly.js did not load')) }
      }
      tag.onerror = function () { reject(new Error('plotly.js could not be loaded from ' + plotlyUrl)) }
      document.head.appendChild(tag)
    })
    return plotlyReady
  }

  function printed () {
    return document.body.classList.contains('pack')
  }

  function config () {
    if (printed()) { return { staticPlot: true, responsive: false } }
    return {
      displaylogo: false,
      displayModeBar: 'hover',
      responsive: true,
      // No upload to Plotly's cloud: council networks are closed, and figures stay here.
      modeBarButtonsToRemove: ['select2d', 'lasso2d', 'sendChartToCloud', 'sendDataToCloud']
    }
  }

  function failed (element, error) {
    element.setAttribute('data-drawn', 'failed')
    element.classList.add('chart--failed')
    var note = document.createElement('p')
    note.className = 'govuk-body-s chart__failed'
    note.textContent = 'The chart could not be drawn. Its summary is below and its figures are in the tables on this page.'
    element.replaceChildren(note)
    if (window.console) { window.console.error('chart ' + element.id + ':', error) }
  }

  // One chart: resolves when drawn, rejects (after marking it failed) when it cannot be.
  function drawOne (element) {
    if (element.dataset.drawn === 'failed') {
      return Promise.reject(new Error('chart ' + element.id + ' could not be drawn'))
    }
    if (element.dataset.drawn) { return element.scorecardDrawing || Promise.resolve() }
    element.setAttribute('data-drawn', 'drawing')
    element.scorecardDrawing = loadPlotly().then(function (Plotly) {
      var source = document.getElementById(element.dataset.chart)
      if (!source) { throw new Error('no figure data #' + element.dataset.chart) }
      var figure = JSON.parse(source.textContent)
      var layout = figure.layout || {}
      if (!printed()) {
        var margin = layout.margin || {}
        layout.margin = Object.assign({}, margin, { t: Math.max(margin.t || 0, MODE_BAR_ROOM) })
        if (element.clientWidth < NARROW_FOR_EVENT_LABELS) {
          (layout.annotations || []).forEach(function (note) {
            if (note.name && note.name.indexOf('Event ') === 0) { note.text = note.name.slice(6) }
          })
        }
      }
      return Plotly.newPlot(element, figure.data, layout, config())
    }).then(function () {
      // The figure is named by its caption; the SVG's tick labels would only be noise to a
      // screen reader.
      element.querySelectorAll('svg').forEach(function (svg) {
        svg.setAttribute('aria-hidden', 'true')
      })
      element.setAttribute('data-drawn', 'true')
    }, function (error) {
      failed(element, error)
      throw error
    })
    return element.scorecardDrawing
  }

  function charts () {
    return Array.prototype.slice.call(document.querySelectorAll('[data-chart]'))
  }

  // Every chart not yet drawn, at once (the PDF pack; tests that audit drawn charts).
  function draw () {
    return Promise.all(charts().map(drawOne))
  }

  // Charts come into view several at a time. They are drawn one after another, those on the
  // screen before those only near it: drawn together, every chart would wait for the last.
  var queue = []
  var busy = false
  function pump () {
    if (busy || !queue.length) { return }
    busy = true
    var element = queue.shift()
    drawOne(element).catch(function () {}).then(function () {
      busy = false
      pump()
    })
  }
  function onScreen (rect) {
    return rect.bottom > 0 && rect.top < window.innerHeight
  }

  var observer = null
  function watch () {
    if (printed() || !('IntersectionObserver' in window)) {
      draw().catch(function () {})
      return
    }
    observer = new window.IntersectionObserver(function (entries) {
      var screen = []
      var near = []
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return }
        observer.unobserve(entry.target)
        if (onScreen(entry.boundingClientRect)) { screen.push(entry.target) } else { near.push(entry.target) }
      })
      queue = screen.concat(queue, near)
      pump()
    }, { rootMargin: MARGIN })
    charts().forEach(function (element) {
      if (!element.dataset.drawn) { observer.observe(element) }
    })
  }

  // After the page is parsed and painted, fetch and run plotly.js (1.2 MB of script: running
  // it takes the main thread for a while) so that it is ready, or nearly, by the time a chart
  // scrolls into view. Started any earlier, it would hold up the first paint of the text.
  function loadAfterPaint () {
    // The PDF renderer's page is empty until it swaps a pack in: have plotly.js ready first.
    if (printed()) { loadPlotly().catch(function () {}); return }
    if (!charts().length) { return }
    window.requestAnimationFrame(function () {
      window.setTimeout(function () {
        loadPlotly().catch(function (error) {
          charts().forEach(function (element) {
            if (!element.dataset.drawn) { failed(element, error) }
          })
        })
      }, 0)
    })
  }

  function start () {
    watch()
    loadAfterPaint()
  }

  window.scorecardCharts = { draw: draw }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start)
  } else {
    start()
  }
})()
